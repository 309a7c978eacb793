/* labsh.h - the shell of a running lab (`p4lab run`).
 *
 * Commands: help, nodes, links, pingall, <host> <command...> (run in the
 * host's namespace, host names in it replaced by their addresses), <switch>
 * log [N], the switches' P4Runtime verbs (below), exit/quit.  The shell is
 * the edge of the emulator: it prints results on stdout and errors on
 * stderr.  Called by run_cmd.c. */
#ifndef P4L_LABSH_H
#define P4L_LABSH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "labrt.h"

/* Installs handlers for SIGINT, SIGTERM and SIGHUP that ask the lab to stop
 * (SIGINT is left to the command while a host command runs in the
 * foreground) and make labsh_signal_fd() readable. */
int labsh_signals_install(struct p4l_err *err);
int labsh_signal_fd(void);
int labsh_stop_requested(void);  /* the signal that asked, 0 if none */
/* Ctrl-C came while a command ran in the foreground (it ends the command). */
bool labsh_interrupted(void);

/* Runs one command line.  Returns 0 if it succeeded, 1 if not; sets *quit
 * on exit/quit. */
int labsh_exec(struct labrt *rt, const char *line, bool *quit);

/* The P4Runtime verbs of a switch (labsh_p4rt.c): table, default, counter,
 * register, mcast, clone, packet, digest.  args starts at the verb; prints
 * its own errors and returns 0 or 1 as labsh_exec does. */
bool labsh_p4rt_is_verb(const char *word);
int labsh_p4rt(struct labrt *rt, size_t sw_index, const char *args);
void labsh_p4rt_help(FILE *out);

/* Reads commands until exit, end of input or a stop signal: readline with
 * history when stdin is a terminal, plain lines otherwise.  Returns the
 * number of commands that failed. */
int labsh_loop(struct labrt *rt);

#endif
