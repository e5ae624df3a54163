/*
 * cli: the `lianfang` command line. One cli_<subcommand>.c per subcommand, listed in the
 * table in cli.c; each is a thin layer over the library modules.
 * Exit status convention: 0 ok / no findings, 1 findings, 2 error (usage, input, I/O).
 */
#ifndef LF_CLI_CLI_H
#define LF_CLI_CLI_H

enum { LF_EXIT_OK = 0, LF_EXIT_FINDINGS = 1, LF_EXIT_ERROR = 2 };

int lf_cli_main(int argc, char **argv);

#endif
