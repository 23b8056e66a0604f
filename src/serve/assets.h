/* assets.h: the page `truce serve` sends (HTML, CSS, JavaScript), built
 * into the program from src/serve/assets/ (cmake/embed.cmake): nothing is
 * read from disk, nothing fetched from elsewhere. */
#ifndef TRUCE_SERVE_ASSETS_H
#define TRUCE_SERVE_ASSETS_H

#include <stddef.h>

typedef struct serve_asset {
    const char *path; /* as requested, e.g. "/app.js"; the first is the page */
    const char *type; /* Content-Type */
    const unsigned char *data;
    size_t size;
} serve_asset;

extern const serve_asset serve_assets[];
extern const size_t serve_asset_count;

#endif
