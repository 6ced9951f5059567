/*
 * netpeer: the Linux peer's side of the network figures (tests/bench/net_figures.py), the same three
 * roles NetBench plays in our kernel, so that the host's clients and timing are the same for both.
 * Runs inside the peer guest (gcc -O2 -static). Each mode listens on PORT, prints MARKER on the console
 * once listening, serves one connection and exits 0:
 *   netpeer sink PORT MARKER          read until the host shuts down, then close (host -> guest)
 *   netpeer echo PORT MARKER          write back everything read, TCP_NODELAY, until EOF (round trips)
 *   netpeer source PORT BYTES MARKER  write BYTES in 64 KiB writes, shut down, wait for the host's close
 *                                     (every byte delivered before /init powers off) (guest -> host)
 */
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static char buffer[64 * 1024];

static int accept_one(int port, const char *marker)
{
    int listener = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in address = { .sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(INADDR_ANY) };
    if (listener < 0 || bind(listener, (struct sockaddr *)&address, sizeof address) != 0 || listen(listener, 1) != 0) {
        perror("netpeer: listen");
        exit(1);
    }
    printf("%s\n", marker);
    fflush(stdout);
    int connection = accept(listener, NULL, NULL);
    if (connection < 0) {
        perror("netpeer: accept");
        exit(1);
    }
    close(listener);
    return connection;
}

static int write_all(int connection, const char *data, size_t length)
{
    while (length > 0) {
        ssize_t wrote = write(connection, data, length);
        if (wrote <= 0) {
            perror("netpeer: write");
            return 1;
        }
        data += wrote;
        length -= (size_t)wrote;
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 4 && strcmp(argv[1], "sink") == 0) {
        int connection = accept_one(atoi(argv[2]), argv[3]);
        while (read(connection, buffer, sizeof buffer) > 0) {
        }
        close(connection);
        return 0;
    }
    if (argc == 4 && strcmp(argv[1], "echo") == 0) {
        int connection = accept_one(atoi(argv[2]), argv[3]);
        int one = 1;
        setsockopt(connection, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        ssize_t got;
        while ((got = read(connection, buffer, sizeof buffer)) > 0) {
            if (write_all(connection, buffer, (size_t)got) != 0) {
                return 1;
            }
        }
        close(connection);
        return 0;
    }
    if (argc == 5 && strcmp(argv[1], "source") == 0) {
        int connection = accept_one(atoi(argv[2]), argv[4]);
        long long left = atoll(argv[3]);
        memset(buffer, 's', sizeof buffer);
        while (left > 0) {
            size_t length = left < (long long)sizeof buffer ? (size_t)left : sizeof buffer;
            if (write_all(connection, buffer, length) != 0) {
                return 1;
            }
            left -= (long long)length;
        }
        shutdown(connection, SHUT_WR);
        while (read(connection, buffer, sizeof buffer) > 0) {
        }
        close(connection);
        return 0;
    }
    fprintf(stderr, "usage: netpeer sink PORT MARKER | echo PORT MARKER | source PORT BYTES MARKER\n");
    return 2;
}
