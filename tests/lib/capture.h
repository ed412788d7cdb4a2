/*
 * capture.h - standard error (where log_msg() writes) into a file, read
 * back by the unit tests that check what linklog says.
 */
#ifndef LINKLOG_CAPTURE_H
#define LINKLOG_CAPTURE_H

void capture_start(void);
/* The text captured since the last call (static); capture goes on. */
const char *capture_take(void);
void capture_stop(void);

/* The number of lines in text. */
int capture_lines(const char *text);

#endif
