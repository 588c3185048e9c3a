/* view.c - PLACEHOLDER viewer: opens and closes an SDL2 window. */
#include <SDL.h>

#include "../cli/options.h"

int cmd_view(const struct cli_opts *o)
{
    (void)o;
    if (SDL_Init(SDL_INIT_VIDEO) != 0) {
        fprintf(stderr, "glider: cannot open a window: %s\n", SDL_GetError());
        return 1;
    }
    SDL_Quit();
    fprintf(stderr, "glider: the viewer is not built yet\n");
    return 1;
}
