/*
 * cli: subcommand table and dispatch.
 */
#include "cli/cli.h"

#include <stdio.h>
#include <string.h>

int lf_cli_main(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        printf("usage: lianfang <command> ...\n");
        return argc < 2 ? LF_EXIT_ERROR : LF_EXIT_OK;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("lianfang %s\n", LF_VERSION_STRING);
        return LF_EXIT_OK;
    }
    fprintf(stderr, "lianfang: unknown command '%s'\n", argv[1]);
    return LF_EXIT_ERROR;
}
