/* labsh.c - the lab shell; see labsh.h.
 *
 * The interactive loop uses readline's callback interface beside poll(), so a
 * stop signal ends the loop at once instead of waiting for a key. */
#include "labsh.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <readline/history.h>
#include <readline/readline.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>


static volatile sig_atomic_t stop_signal;
static volatile sig_atomic_t fg_child;  /* a host command owns the terminal */
static volatile sig_atomic_t fg_interrupted;  /* Ctrl-C while it did */
static int sig_pipe[2] = { -1, -1 };

static void on_signal(int sig)
{
	int saved = errno;
	/* Ctrl-C while `h1 ping ...` runs is for ping, which gets it too. */
	if (sig == SIGINT && fg_child) {
		fg_interrupted = 1;
	} else {
		stop_signal = sig;
		if (sig_pipe[1] >= 0 && write(sig_pipe[1], "x", 1) < 0) {
			/* full pipe: a wake-up is already pending */
		}
	}
	errno = saved;
}

int labsh_signals_install(struct p4l_err *err)
{
	struct sigaction sa;
	if (sig_pipe[0] < 0 && pipe2(sig_pipe, O_CLOEXEC | O_NONBLOCK) < 0)
		return p4l_errf(err, -errno, "pipe: %s", strerror(errno));
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	/* No SA_RESTART: a blocking read returns so the loop sees the request. */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	return 0;
}

int labsh_signal_fd(void)
{
	return sig_pipe[0];
}

int labsh_stop_requested(void)
{
	return stop_signal;
}

bool labsh_interrupted(void)
{
	return fg_interrupted;
}

static void help(void)
{
	puts("commands:\n"
	     "  nodes                  the lab's hosts and switches\n"
	     "  links                  the lab's links\n"
	     "  pingall                every host pings every other host once\n"
	     "  HOST COMMAND...        run COMMAND in HOST's namespace (host names in it\n"
	     "                         stand for their addresses: h1 ping -c1 h2)\n"
	     "  SWITCH log [N]         the last N (20) lines of the switch's log\n"
	     "  help                   this list\n"
	     "  exit, quit             stop the lab and leave");
	labsh_p4rt_help(stdout);
}

/* Waits for a foreground child; a stop signal other than Ctrl-C ends it. */
static int wait_child(pid_t pid)
{
	int status;
	for (;;) {
		pid_t r = waitpid(pid, &status, 0);
		if (r == pid)
			return status;
		if (r < 0 && errno != EINTR)
			return -1;
		if (stop_signal)
			kill(pid, SIGTERM);
	}
}

/* The command with every word that names a host replaced by its address. */
static char *substitute_hosts(const struct lab *lab, const char *cmd)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	if (!f)
		return NULL;
	const char *p = cmd;
	while (*p) {
		if (isspace((unsigned char)*p)) {
			fputc(*p++, f);
			continue;
		}
		const char *end = p;
		while (*end && !isspace((unsigned char)*end))
			end++;
		char word[LAB_NAME_MAX + 1];
		struct lab_host *h = NULL;
		if ((size_t)(end - p) <= LAB_NAME_MAX) {
			memcpy(word, p, (size_t)(end - p));
			word[end - p] = '\0';
			h = lab_find_host(lab, word);
		}
		if (h && h->has_ip) {
			char a[INET_ADDRSTRLEN];
			inet_ntop(AF_INET, &h->ip, a, sizeof(a));
			fputs(a, f);
		} else {
			fwrite(p, 1, (size_t)(end - p), f);
		}
		p = end;
	}
	if (fclose(f) != 0) {
		free(out);
		return NULL;
	}
	return out;
}

static int run_on_host(struct labrt *rt, struct lab_host *h, const char *cmd)
{
	struct p4l_err err = { 0 };
	char *line = substitute_hosts(rt->lab, cmd);
	pid_t pid;
	if (!line) {
		fprintf(stderr, "p4lab: out of memory\n");
		return 1;
	}
	char *argv[] = { "/bin/sh", "-c", line, NULL };
	fflush(stdout);
	fg_child = 1;
	int rc = labrt_spawn_in_host(rt, h, argv, NULL, &pid, &err);
	int status = rc < 0 ? -1 : wait_child(pid);
	fg_child = 0;
	free(line);
	if (rc < 0) {
		fprintf(stderr, "p4lab: %s\n", err.msg);
		return 1;
	}
	if (status >= 0 && WIFSIGNALED(status) && WTERMSIG(status) == SIGINT)
		fputc('\n', stdout);
	return status >= 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
}

/* One ping from each host to every other, all of one source host's pings at
 * once, printed as Mininet prints them. */
static int pingall(struct labrt *rt)
{
	const struct lab *lab = rt->lab;
	int sent = 0, received = 0;
	pid_t *pids = calloc(lab->n_hosts + 1, sizeof(*pids));
	posix_spawn_file_actions_t fa;

	if (!pids) {
		fprintf(stderr, "p4lab: out of memory\n");
		return 1;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, 1, 2);
	puts("*** Ping: testing ping reachability");
	fflush(stdout);
	/* Like a host command, Ctrl-C ends pingall, not the lab. */
	fg_child = 1;
	fg_interrupted = 0;
	bool interrupted = false;
	for (size_t i = 0; i < lab->n_hosts && !stop_signal && !interrupted; i++) {
		struct lab_host *src = lab->hosts[i];
		if (!src->has_ip)
			continue;
		for (size_t j = 0; j < lab->n_hosts; j++) {
			struct lab_host *dst = lab->hosts[j];
			char a[INET_ADDRSTRLEN];
			struct p4l_err err = { 0 };
			pids[j] = 0;
			if (j == i || !dst->has_ip)
				continue;
			inet_ntop(AF_INET, &dst->ip, a, sizeof(a));
			char *argv[] = { "ping", "-c1", "-W2", "-q", a, NULL };
			if (labrt_spawn_in_host(rt, src, argv, &fa, &pids[j], &err) < 0) {
				fprintf(stderr, "p4lab: %s\n", err.msg);
				pids[j] = -1;
			}
		}
		printf("%s ->", src->name);
		for (size_t j = 0; j < lab->n_hosts; j++) {
			if (j == i || !lab->hosts[j]->has_ip)
				continue;
			int status = pids[j] > 0 ? wait_child(pids[j]) : -1;
			bool ok = status >= 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0;
			interrupted |= fg_interrupted;
			sent++;
			received += ok;
			printf(" %s", ok ? lab->hosts[j]->name : "X");
		}
		putchar('\n');
		fflush(stdout);
	}
	fg_child = 0;
	posix_spawn_file_actions_destroy(&fa);
	free(pids);
	if (interrupted)
		puts("*** interrupted");
	printf("*** Results: %d%% dropped (%d/%d received)\n",
	       sent ? (sent - received) * 100 / sent : 0, received, sent);
	return sent == received && !stop_signal && !interrupted ? 0 : 1;
}

/* The end of a file big enough to hold its last `lines` lines: a trace log
 * can grow to gigabytes, so it is read backwards in growing windows (at most
 * 64 MiB). */
static char *read_tail(const char *path, long lines, size_t *len)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	char *buf = NULL;
	if (fd < 0 || fstat(fd, &st) < 0) {
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	size_t size = (size_t)st.st_size;
	for (size_t want = 65536;; want *= 4) {
		size_t off = size > want ? size - want : 0, n = size - off;
		free(buf);
		if (!(buf = malloc(n + 1)))
			break;
		ssize_t got = pread(fd, buf, n, (off_t)off);
		if (got < 0) {
			free(buf);
			buf = NULL;
			break;
		}
		*len = (size_t)got;
		long nl = 0;
		for (size_t i = 0; i + 1 < *len; i++)
			nl += buf[i] == '\n';
		if (nl >= lines || off == 0 || want >= (64u << 20))
			break;
	}
	close(fd);
	return buf;
}

static int switch_log(struct labrt *rt, size_t index, const char *args)
{
	const struct lab_switch *sw = rt->lab->switches[index];
	const char *path = rt->sw[index].log;
	char *text = NULL, *end;
	size_t len = 0;
	long lines = 20;

	while (isspace((unsigned char)*args))
		args++;
	if (*args) {
		lines = strtol(args, &end, 10);
		while (isspace((unsigned char)*end))
			end++;
		if (*end || lines <= 0) {
			fprintf(stderr, "p4lab: %s log: '%s' is not a number of lines\n", sw->name, args);
			return 1;
		}
	}
	if (!path) {
		printf("%s: its log is off (log: none)\n", sw->name);
		return 0;
	}
	if (!(text = read_tail(path, lines, &len)) || !len) {
		printf("%s: nothing logged yet (%s)\n", sw->name, path);
		free(text);
		return 0;
	}
	size_t start = len;
	if (text[len - 1] == '\n')
		start--;
	while (start > 0 && lines > 0)
		if (text[--start] == '\n' && --lines == 0)
			start++;
	fwrite(text + start, 1, len - start, stdout);
	if (text[len - 1] != '\n')
		putchar('\n');
	free(text);
	return 0;
}

int labsh_exec(struct labrt *rt, const char *line, bool *quit)
{
	const struct lab *lab = rt->lab;
	char word[64];
	size_t n = 0;

	while (isspace((unsigned char)*line))
		line++;
	if (!*line || *line == '#')
		return 0;
	while (line[n] && !isspace((unsigned char)line[n]))
		n++;
	if (n >= sizeof(word)) {
		fprintf(stderr, "p4lab: unknown command '%.*s' (try 'help')\n", (int)n, line);
		return 1;
	}
	memcpy(word, line, n);
	word[n] = '\0';
	struct p4l_err err = { 0 };
	if (labrt_reap_exited(rt, &err) > 0)
		fprintf(stderr, "p4lab: warning: %s\n", err.msg);
	const char *rest = line + n;
	while (isspace((unsigned char)*rest))
		rest++;

	if (!strcmp(word, "exit") || !strcmp(word, "quit")) {
		*quit = true;
		return 0;
	}
	if (!strcmp(word, "help")) {
		help();
		return 0;
	}
	if (!strcmp(word, "nodes")) {
		lab_print_nodes(lab, stdout);
		for (size_t i = 0; i < lab->n_switches; i++)
			printf("%-8s running as pid %d, log %s\n", lab->switches[i]->name,
			       (int)rt->sw[i].pid, rt->sw[i].log ? rt->sw[i].log : "off");
		for (size_t i = 0; i < lab->n_switches; i++)
			if (rt->sw[i].grpc_addr[0])
				printf("%-8s P4Runtime at %s, device id %u (the lab's client: role "
				       "'%s', election id 1)\n", lab->switches[i]->name,
				       rt->sw[i].grpc_addr, lab->switches[i]->device_id,
				       LABRT_P4RT_ROLE);
		return 0;
	}
	if (!strcmp(word, "links")) {
		lab_print_links(lab, stdout);
		return 0;
	}
	if (!strcmp(word, "pingall"))
		return pingall(rt);
	struct lab_host *h = lab_find_host(lab, word);
	if (h) {
		if (!*rest) {
			fprintf(stderr, "p4lab: %s: give a command to run in it (like '%s ip addr')\n",
				word, word);
			return 1;
		}
		return run_on_host(rt, h, rest);
	}
	for (size_t i = 0; i < lab->n_switches; i++) {
		if (strcmp(lab->switches[i]->name, word))
			continue;
		if (!strncmp(rest, "log", 3) && (!rest[3] || isspace((unsigned char)rest[3])))
			return switch_log(rt, i, rest + 3);
		char verb[16];
		size_t vl = strcspn(rest, " \t");
		snprintf(verb, sizeof(verb), "%.*s", (int)(vl < sizeof(verb) ? vl : 0), rest);
		if (labsh_p4rt_is_verb(verb)) {
			/* Ctrl-C ends a `packet listen`, not the lab */
			fg_interrupted = 0;
			fg_child = 1;
			int r = labsh_p4rt(rt, i, rest);
			fg_child = 0;
			return r;
		}
		fprintf(stderr, "p4lab: %s: unknown switch command '%s' (known: log, table, default, "
			"counter, register, mcast, clone, packet, digest)\n", word, rest);
		return 1;
	}
	fprintf(stderr, "p4lab: unknown command '%s' (try 'help')\n", word);
	return 1;
}

/* readline callback state: one shell at a time. */
static struct {
	struct labrt *rt;
	bool quit;
	int failed;
} cb;

static void on_line(char *line)
{
	if (!line) {
		cb.quit = true;
		putchar('\n');
		rl_callback_handler_remove();
		return;
	}
	if (*line)
		add_history(line);
	cb.failed += labsh_exec(cb.rt, line, &cb.quit);
	free(line);
	/* Removed here, or readline prints one more prompt on the way out. */
	if (cb.quit)
		rl_callback_handler_remove();
}

static int loop_tty(struct labrt *rt)
{
	cb.rt = rt;
	cb.quit = false;
	cb.failed = 0;
	rl_catch_signals = 0;
	rl_catch_sigwinch = 0;
	rl_callback_handler_install("p4lab> ", on_line);
	while (!cb.quit && !stop_signal) {
		struct pollfd p[2] = {
			{ .fd = STDIN_FILENO, .events = POLLIN },
			{ .fd = sig_pipe[0], .events = POLLIN },
		};
		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (p[0].revents)
			rl_callback_read_char();
	}
	if (!cb.quit)
		rl_callback_handler_remove();
	if (stop_signal)
		putchar('\n');
	clear_history();
	return cb.failed;
}

static int loop_plain(struct labrt *rt)
{
	char *line = NULL;
	size_t cap = 0;
	bool quit = false;
	int failed = 0;
	while (!quit && !stop_signal) {
		errno = 0;
		if (getline(&line, &cap, stdin) < 0) {
			if (errno == EINTR && !stop_signal) {
				clearerr(stdin);
				continue;
			}
			break;
		}
		line[strcspn(line, "\n")] = '\0';
		failed += labsh_exec(rt, line, &quit);
		fflush(stdout);
	}
	free(line);
	return failed;
}

int labsh_loop(struct labrt *rt)
{
	return isatty(STDIN_FILENO) ? loop_tty(rt) : loop_plain(rt);
}
