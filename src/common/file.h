/* file.h - whole-file reading and writing, with errors in the p4lab convention. */
#ifndef P4L_FILE_H
#define P4L_FILE_H

#include <stddef.h>
#include "error.h"

/* Reads all of path into a fresh NUL-terminated buffer (*out, free() it);
 * *len (may be NULL) gets the size without the NUL. */
int p4l_read_file(const char *path, char **out, size_t *len, struct p4l_err *err);

/* Writes len bytes to path atomically (a temporary file renamed over it), so a
 * failed write never leaves a half-written output behind. */
int p4l_write_file(const char *path, const void *data, size_t len, struct p4l_err *err);

/* Creates path and any missing parents (mode 0755), like `mkdir -p`; an
 * existing directory is fine. */
int p4l_mkdir_p(const char *path, struct p4l_err *err);

#endif
