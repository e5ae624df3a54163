/*
 * main: the `lianfang` command. Dispatches to cli_* subcommands (see cli.h).
 */
#include "cli/cli.h"

int main(int argc, char **argv)
{
    return lf_cli_main(argc, argv);
}
