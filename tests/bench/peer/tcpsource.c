/*
 * tcpsource: the Linux peer's side of the guest->host TCP figure (tests/bench/net_figures.py).
 * Runs inside the peer guest (gcc -O2 -static): listens on PORT, prints MARKER on the console once
 * listening, accepts one connection, writes BYTES bytes in 64 KiB writes, shuts its side down and
 * waits for the host's close (so that every byte is delivered before /init powers the guest off),
 * then exits 0. The host times the transfer from connect to EOF, as it does for NetBench's tcpsource.
 *   tcpsource PORT BYTES MARKER
 */
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: tcpsource PORT BYTES MARKER\n");
        return 2;
    }
    int port = atoi(argv[1]);
    long long left = atoll(argv[2]);
    int listener = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in address = { .sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(INADDR_ANY) };
    if (listener < 0 || bind(listener, (struct sockaddr *)&address, sizeof address) != 0 || listen(listener, 1) != 0) {
        perror("tcpsource: listen");
        return 1;
    }
    printf("%s\n", argv[3]);
    fflush(stdout);
    int connection = accept(listener, NULL, NULL);
    if (connection < 0) {
        perror("tcpsource: accept");
        return 1;
    }
    static char chunk[64 * 1024];
    memset(chunk, 's', sizeof chunk);
    while (left > 0) {
        ssize_t wrote = write(connection, chunk, left < (long long)sizeof chunk ? (size_t)left : sizeof chunk);
        if (wrote <= 0) {
            perror("tcpsource: write");
            return 1;
        }
        left -= wrote;
    }
    shutdown(connection, SHUT_WR);
    while (read(connection, chunk, sizeof chunk) > 0) {
    }
    close(connection);
    close(listener);
    return 0;
}
