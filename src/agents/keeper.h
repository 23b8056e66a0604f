/* keeper.h: starting an agent program under a keeper process (Linux: a child subreaper) that
 * ends it and everything it started, even what left its process group or session. */
#ifndef TRUCE_AGENTS_KEEPER_H
#define TRUCE_AGENTS_KEEPER_H

#include <sys/types.h>

typedef struct keeper {
    pid_t pid;   /* the keeper process, > 0 while it runs */
    int life;    /* our end of a pipe the keeper watches: closing it (or our death) ends all */
    int report;  /* the keeper's messages: started, could not start, the program's exit */
    int exited;  /* 1 when the program's wait status is known */
    int status;  /* its wait status */
} keeper;

/* Start the program at `path` (a path, not a name looked up in PATH) with argv, its standard
 * input from in_fd and output to out_fd (their other ends stay with the caller; the caller
 * closes in_fd and out_fd afterwards), its standard error shared with ours, in a process group
 * of its own. Between it and us runs a keeper process: what the program starts is reparented to
 * the keeper when its parent dies (setsid and double forks included), and keeper_stop kills it
 * all. Returns 0, or an errno value when the program could not be started (exec failed, no
 * process). */
int keeper_start(keeper *k, const char *path, char *const argv[], int in_fd, int out_fd);

/* 1 and the program's wait status in *status when it has ended, waiting at most `wait`
 * seconds; 0 otherwise. */
int keeper_exit_status(keeper *k, double wait, int *status);

/* Kill the program and every process it started that is still alive, wait for the keeper,
 * close the pipes. keeper_stop on a stopped keeper does nothing. */
void keeper_stop(keeper *k);

#endif
