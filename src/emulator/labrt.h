/* labrt.h - a running lab: start, stop, run commands in its hosts, clean up
 * after a lab that was killed.
 *
 * labrt_start() turns a finalized struct lab into namespaces, veth pairs and
 * switch processes; labrt_stop() takes all of it down again and may be called
 * any number of times; a process may start and stop labs as often as it likes.
 * Called by run_cmd.c (p4lab run), the shell (labsh.c), clean_cmd.c and C
 * programs.  The caller's thread must be the only one that changes namespaces
 * (setns is per thread), and children are made with posix_spawn only.
 *
 * What a lab leaves while it runs, all scoped by its name:
 *   /run/netns/p4lab-<lab>          the switches' namespace (every switch port)
 *   /run/netns/p4lab-<lab>.<host>   one namespace per host
 *   /run/p4lab/<lab>/               state: compiled programs, switch logs,
 *                                   switch stderr, and `state` (what to kill and
 *                                   delete if the lab is killed; read by clean) */
#ifndef P4L_LABRT_H
#define P4L_LABRT_H

#include <spawn.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "error.h"
#include "lab.h"

#define LABRT_STATE_ROOT "/run/p4lab"

struct labrt_options {
	const char *state_root;      /* NULL: LABRT_STATE_ROOT */
	const char *switch_exe;      /* NULL: labrt_find_switch() */
	FILE *diag;                  /* compiler diagnostics; NULL: stderr */
	int ready_timeout_ms;        /* 0: 60 s (sanitizer builds load slowly) */
	int stop_fd;                 /* readable = give up starting; -1 for none */
};

struct labrt_switch {
	pid_t pid;                   /* 0 once reaped */
	int pidfd;
	int ready_fd;                /* read end of its --ready-fd pipe */
	char *json;                  /* the BMv2 JSON it runs */
	char *log;                   /* its --log-file, NULL with log: none */
	char *errfile;               /* its stdout + stderr */
	/* P4Runtime (labrt_p4rt.c), when the program has a P4Info: */
	char *p4info;                /* NULL: programmed by --entries, no server */
	char grpc_addr[64];          /* "127.0.0.1:PORT" as the switch reported it */
	struct p4rt_client *client;  /* the lab's client (role LABRT_P4RT_ROLE) */
};

struct labrt {
	struct lab *lab;             /* not owned */
	char *state_dir;
	bool state_dir_made;
	int *host_nsfd;              /* per lab->hosts[i], -1 when closed */
	int switch_nsfd;
	size_t n_host_ns;            /* host namespaces made so far, in order */
	bool switch_ns;              /* the switch namespace was made */
	struct labrt_switch *sw;     /* per lab->switches[i] */
	bool running;
	double start_seconds;        /* how long labrt_start took */
};

/* Starts a finalized lab.  On failure everything made so far is taken down
 * again and *out is NULL. */
int labrt_start(struct lab *lab, const struct labrt_options *opt, struct labrt **out,
		struct p4l_err *err);

/* Kills and reaps the switches, deletes the namespaces and the state folder.
 * Idempotent; keeps going past failures and reports the first. */
int labrt_stop(struct labrt *rt, struct p4l_err *err);

/* Stops (if needed) and frees.  Accepts NULL. */
void labrt_free(struct labrt *rt);

/* Reaps the switches that exited on their own since the last call; returns
 * how many, with the first one's exit status and last words in err. */
int labrt_reap_exited(struct labrt *rt, struct p4l_err *err);

/* posix_spawnp() of argv inside host h's namespace (fa may be NULL).  The
 * child gets default signal dispositions and an empty signal mask. */
int labrt_spawn_in_host(struct labrt *rt, const struct lab_host *h, char *const argv[],
			const posix_spawn_file_actions_t *fa, pid_t *pid, struct p4l_err *err);

/* Where p4lab-switch is: $P4LAB_SWITCH, beside the running program, the
 * build tree, then PATH. */
int labrt_find_switch(char *out, size_t size, struct p4l_err *err);

/* P4Runtime (labrt_p4rt.c).  The lab's clients are primary of role
 * LABRT_P4RT_ROLE with election id 1, so controllers in the default role are
 * never blocked by them.  push_start: threads give every switch with a
 * P4Info its pipeline and entries, all at once (*out NULL when none has one);
 * push_wait joins them and reports the first failure (err may be NULL;
 * accepts NULL); close: the clients go. */
#define LABRT_P4RT_ROLE "p4lab"
struct p4rt_client;
struct labrt_push;
int labrt_p4rt_push_start(struct labrt *rt, struct labrt_push **out, struct p4l_err *err);
int labrt_p4rt_push_wait(struct labrt_push *push, struct p4l_err *err);
void labrt_p4rt_close(struct labrt *rt);
/* A new client of switch i, primary of role (NULL: the default role) with
 * this election id; -EBUSY when another client is. */
int labrt_p4rt_connect(struct labrt *rt, size_t i, struct p4rt_client **out,
		       const char *role, uint64_t election_id, struct p4l_err *err);

/* State folder bookkeeping (labrt_state.c). */
int labrt_write_state(const struct labrt *rt, struct p4l_err *err);

/* Removes what labs left behind: every process recorded in a state folder
 * (only if it is still the same process), the namespaces named after the lab,
 * and the state folder.  lab_name NULL: every lab.  Each action is reported as
 * one line on report (may be NULL).  Returns the number of things removed. */
int labrt_clean(const char *state_root, const char *lab_name, FILE *report,
		struct p4l_err *err);

#endif
