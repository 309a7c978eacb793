/* commands.h - the subcommands of `p4lab`, one per module.
 *
 * Each takes the arguments after "p4lab" (argv[0] is the subcommand's own name)
 * and returns the process exit status.  They print their own usage and errors. */
#ifndef P4L_COMMANDS_H
#define P4L_COMMANDS_H

int p4c_cmd_compile(int argc, char **argv);  /* src/compiler/compile_cmd.c */
int stf_cmd(int argc, char **argv);          /* src/stf/stf_cmd.c */
int lab_cmd_run(int argc, char **argv);      /* src/emulator/run_cmd.c */
int lab_cmd_clean(int argc, char **argv);    /* src/emulator/clean_cmd.c */

#endif
