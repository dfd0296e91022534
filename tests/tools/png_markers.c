/* png_markers FILE.png [RRGGBB]: prints how many separate blobs of exactly that colour (default
 * the picture's thread-marker colour) the image holds, each at least 50 pixels. The picture
 * draws one such square per thread, without antialiasing, so the count is the thread count. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cairo.h>

static size_t flood(uint32_t *px, int w, int h, int stride_px, int x0, int y0, uint32_t want, int *stack)
{
    size_t n = 0, top = 0;
    stack[top++] = y0 * w + x0;
    px[y0 * stride_px + x0] = ~want;
    while (top) {
        int p = stack[--top], x = p % w, y = p / w;
        n++;
        static const int dx[] = {1, -1, 0, 0}, dy[] = {0, 0, 1, -1};
        for (int k = 0; k < 4; k++) {
            int nx = x + dx[k], ny = y + dy[k];
            if (nx < 0 || ny < 0 || nx >= w || ny >= h || (px[ny * stride_px + nx] & 0xffffff) != want)
                continue;
            px[ny * stride_px + nx] = ~want;   /* visited */
            stack[top++] = ny * w + nx;
        }
    }
    return n;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: png_markers FILE.png [RRGGBB]\n");
        return 2;
    }
    uint32_t want = argc > 2 ? (uint32_t)strtoul(argv[2], NULL, 16) : 0xe0119du;
    cairo_surface_t *s = cairo_image_surface_create_from_png(argv[1]);
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
        fprintf(stderr, "png_markers: cannot read %s: %s\n", argv[1], cairo_status_to_string(cairo_surface_status(s)));
        return 2;
    }
    cairo_surface_flush(s);
    int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
    int stride_px = cairo_image_surface_get_stride(s) / 4;
    uint32_t *px = (uint32_t *)cairo_image_surface_get_data(s);
    int *stack = malloc((size_t)w * (size_t)h * sizeof *stack);
    if (!stack)
        return 2;
    size_t blobs = 0;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            if ((px[y * stride_px + x] & 0xffffff) == want && flood(px, w, h, stride_px, x, y, want, stack) >= 50)
                blobs++;
    printf("%zu\n", blobs);
    free(stack);
    cairo_surface_destroy(s);
    return 0;
}
