/*
 * drmflush: the Linux peer's side of the display figures (tests/bench/display_figures.py).
 * Runs inside the peer guest (gcc -O2 -static -I/usr/include/libdrm).
 *
 *   drmflush flush N      full-screen updates through DRM/KMS on /dev/dri/card0: the connected connector's
 *                         preferred mode, one 32 bpp dumb buffer (ADDFB + SETCRTC), then N times DIRTYFB with
 *                         one full-screen clip, and N times the same after filling the whole buffer.
 *                         virtio-gpu turns the dirty clip into TRANSFER_TO_HOST_2D + RESOURCE_FLUSH, the work
 *                         of one CosmosKernel Flush. Prints "RESULT drm_flush WxH N SECONDS" and
 *                         "RESULT drm_fillflush WxH N SECONDS".
 *   drmflush scroll N TTY writes N lines of 77 bytes (the text fbbench writes) to TTY (fbcon's console)
 *                         after filling its screen, so each line is a scroll.
 *                         Prints "RESULT fbcon_scroll N SECONDS".
 *
 * Only the kernel's uapi (drm.h, drm_mode.h): the ioctl numbers and structures come from there.
 */
#include <drm.h>
#include <drm_mode.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

static const char line_text[] = "fbbench scroll line: the quick brown fox jumps over the lazy dog 0123456789\n";

static double now_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static int drm_ioctl(int fd, unsigned long request, void *argument, const char *name)
{
    int result;
    do {
        result = ioctl(fd, request, argument);
    } while (result == -1 && (errno == EINTR || errno == EAGAIN));
    if (result == -1)
        fprintf(stderr, "drmflush: %s: %s\n", name, strerror(errno));
    return result;
}

/* The two-call pattern of the mode-setting getters: ask for counts, then fill arrays of those sizes. */
static void *array_of(uint32_t count, size_t size)
{
    return calloc(count ? count : 1, size);
}

static int flush_benchmark(int count)
{
    int fd = open("/dev/dri/card0", O_RDWR | O_CLOEXEC);
    if (fd < 0) {
        perror("drmflush: /dev/dri/card0");
        return 1;
    }
    struct drm_mode_card_res resources = { 0 };
    if (drm_ioctl(fd, DRM_IOCTL_MODE_GETRESOURCES, &resources, "GETRESOURCES"))
        return 1;
    uint32_t *connectors = array_of(resources.count_connectors, sizeof *connectors);
    uint32_t *crtcs = array_of(resources.count_crtcs, sizeof *crtcs);
    uint32_t *encoders = array_of(resources.count_encoders, sizeof *encoders);
    uint32_t *fbs = array_of(resources.count_fbs, sizeof *fbs);
    resources.connector_id_ptr = (uintptr_t)connectors;
    resources.crtc_id_ptr = (uintptr_t)crtcs;
    resources.encoder_id_ptr = (uintptr_t)encoders;
    resources.fb_id_ptr = (uintptr_t)fbs;
    if (drm_ioctl(fd, DRM_IOCTL_MODE_GETRESOURCES, &resources, "GETRESOURCES"))
        return 1;

    struct drm_mode_modeinfo mode = { 0 };
    uint32_t connector_id = 0, crtc_id = 0;
    for (uint32_t i = 0; i < resources.count_connectors && !connector_id; i++) {
        struct drm_mode_get_connector connector = { .connector_id = connectors[i] };
        if (drm_ioctl(fd, DRM_IOCTL_MODE_GETCONNECTOR, &connector, "GETCONNECTOR"))
            return 1;
        if (connector.connection != 1 /* DRM_MODE_CONNECTED */ || connector.count_modes == 0)
            continue;
        struct drm_mode_modeinfo *modes = array_of(connector.count_modes, sizeof *modes);
        uint32_t *connector_encoders = array_of(connector.count_encoders, sizeof *connector_encoders);
        uint32_t *props = array_of(connector.count_props, sizeof *props);
        uint64_t *prop_values = array_of(connector.count_props, sizeof *prop_values);
        connector.modes_ptr = (uintptr_t)modes;
        connector.encoders_ptr = (uintptr_t)connector_encoders;
        connector.props_ptr = (uintptr_t)props;
        connector.prop_values_ptr = (uintptr_t)prop_values;
        if (drm_ioctl(fd, DRM_IOCTL_MODE_GETCONNECTOR, &connector, "GETCONNECTOR"))
            return 1;
        mode = modes[0];
        for (uint32_t m = 0; m < connector.count_modes; m++) {
            if (modes[m].type & DRM_MODE_TYPE_PREFERRED) {
                mode = modes[m];
                break;
            }
        }
        /* A CRTC the connector's first encoder can drive. */
        struct drm_mode_get_encoder encoder = { .encoder_id = connector.encoder_id ? connector.encoder_id : connector_encoders[0] };
        if (drm_ioctl(fd, DRM_IOCTL_MODE_GETENCODER, &encoder, "GETENCODER"))
            return 1;
        crtc_id = encoder.crtc_id;
        for (uint32_t c = 0; c < resources.count_crtcs && !crtc_id; c++) {
            if (encoder.possible_crtcs & (1u << c))
                crtc_id = crtcs[c];
        }
        connector_id = connectors[i];
    }
    if (!connector_id || !crtc_id) {
        fprintf(stderr, "drmflush: no connected connector with a mode and a CRTC (%u connectors)\n", resources.count_connectors);
        return 1;
    }

    struct drm_mode_create_dumb dumb = { .width = mode.hdisplay, .height = mode.vdisplay, .bpp = 32 };
    if (drm_ioctl(fd, DRM_IOCTL_MODE_CREATE_DUMB, &dumb, "CREATE_DUMB"))
        return 1;
    struct drm_mode_fb_cmd framebuffer = { .width = mode.hdisplay, .height = mode.vdisplay, .pitch = dumb.pitch,
                                           .bpp = 32, .depth = 24, .handle = dumb.handle };
    if (drm_ioctl(fd, DRM_IOCTL_MODE_ADDFB, &framebuffer, "ADDFB"))
        return 1;
    struct drm_mode_map_dumb map = { .handle = dumb.handle };
    if (drm_ioctl(fd, DRM_IOCTL_MODE_MAP_DUMB, &map, "MAP_DUMB"))
        return 1;
    uint32_t *pixels = mmap(NULL, dumb.size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, map.offset);
    if (pixels == MAP_FAILED) {
        perror("drmflush: mmap");
        return 1;
    }
    struct drm_mode_crtc crtc = { .crtc_id = crtc_id, .fb_id = framebuffer.fb_id, .set_connectors_ptr = (uintptr_t)&connector_id,
                                  .count_connectors = 1, .mode = mode, .mode_valid = 1 };
    if (drm_ioctl(fd, DRM_IOCTL_MODE_SETCRTC, &crtc, "SETCRTC"))
        return 1;

    struct drm_clip_rect clip = { .x1 = 0, .y1 = 0, .x2 = mode.hdisplay, .y2 = mode.vdisplay };
    struct drm_mode_fb_dirty_cmd dirty = { .fb_id = framebuffer.fb_id, .num_clips = 1, .clips_ptr = (uintptr_t)&clip };
    size_t words = dumb.size / 4;
    /* Twice: DIRTYFB alone (the work of CosmosKernel's Flush: transfer and flush, nothing drawn), then the
     * whole buffer filled before each DIRTYFB. Five warm-up updates before each timed series. */
    for (int fill = 0; fill < 2; fill++) {
        double start = 0;
        for (int i = -5; i < count; i++) {
            if (i == 0)
                start = now_seconds();
            if (fill || i == -5) {
                uint32_t colour = (uint32_t)(i & 0xff) * 0x010101u;
                for (size_t w = 0; w < words; w++)
                    pixels[w] = colour;
            }
            if (drm_ioctl(fd, DRM_IOCTL_MODE_DIRTYFB, &dirty, "DIRTYFB"))
                return 1;
        }
        double seconds = now_seconds() - start;
        printf("RESULT %s %ux%u %d %.6f\n", fill ? "drm_fillflush" : "drm_flush", mode.hdisplay, mode.vdisplay, count, seconds);
        fflush(stdout);
    }
    munmap(pixels, dumb.size);
    close(fd);   /* the last close gives the screen back to fbcon */
    return 0;
}

static int write_all(int fd, const char *text, size_t length)
{
    while (length) {
        ssize_t written = write(fd, text, length);
        if (written < 0) {
            if (errno == EINTR)
                continue;
            perror("drmflush: write");
            return 1;
        }
        text += written;
        length -= (size_t)written;
    }
    return 0;
}

static int scroll_benchmark(int count, const char *tty)
{
    int fd = open(tty, O_WRONLY | O_NOCTTY);
    if (fd < 0) {
        perror(tty);
        return 1;
    }
    for (int i = 0; i < 200; i++) {   /* fill the screen first, so that every timed line scrolls */
        if (write_all(fd, line_text, sizeof line_text - 1))
            return 1;
    }
    double start = now_seconds();
    for (int i = 0; i < count; i++) {
        if (write_all(fd, line_text, sizeof line_text - 1))
            return 1;
    }
    double seconds = now_seconds() - start;
    printf("RESULT fbcon_scroll %d %.6f\n", count, seconds);
    fflush(stdout);
    close(fd);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc >= 3 && strcmp(argv[1], "flush") == 0)
        return flush_benchmark(atoi(argv[2]));
    if (argc >= 4 && strcmp(argv[1], "scroll") == 0)
        return scroll_benchmark(atoi(argv[2]), argv[3]);
    fprintf(stderr, "usage: drmflush flush N | drmflush scroll N TTY\n");
    return 2;
}
