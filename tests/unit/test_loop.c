/* Unit tests for the event loop (src/loop.c): descriptors on pipes,
 * one-shot timers a few ms away, hooks, and registrations removed or
 * replaced during a round.  Every round has a timer or a ready
 * descriptor, so no poll(2) waits more than a few ms. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "loop.h"

/* What was called, in order: one letter a call. */
static char calls[64];
static size_t ncalls;
static struct loop *lp;
static int pipes[2][2];
static int timer_ids[4];
static uint64_t fired_at[4];

static void
record(char c)
{
	if (ncalls + 1 < sizeof(calls))
		calls[ncalls++] = c;
	calls[ncalls] = '\0';
}

static int
setup(void **state)
{
	(void)state;
	ncalls = 0;
	calls[0] = '\0';
	memset(fired_at, 0, sizeof(fired_at));
	lp = loop_new();
	assert_non_null(lp);
	for (int i = 0; i < 2; i++)
		assert_int_equal(pipe2(pipes[i], O_NONBLOCK | O_CLOEXEC), 0);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	loop_free(lp);
	for (int i = 0; i < 2; i++) {
		close(pipes[i][0]);
		close(pipes[i][1]);
	}
	return 0;
}

static void
fill(int i)
{
	assert_int_equal(write(pipes[i][1], "x", 1), 1);
}

static void
drain(int fd)
{
	char buf[64];

	while (read(fd, buf, sizeof(buf)) > 0)
		;
}

static void
on_readable(void *arg, int fd, short revents)
{
	record(*(const char *)arg);
	assert_true(revents & POLLIN);
	drain(fd);
}

static void
on_writable(void *arg, int fd, short revents)
{
	(void)fd;
	record(*(const char *)arg);
	assert_true(revents & POLLOUT);
}

static void
on_timer(void *arg, uint64_t now)
{
	int i = (int)(intptr_t)arg;

	record((char)('0' + i));
	fired_at[i] = now;
}

static void
on_hook(void *arg, uint64_t now)
{
	(void)now;
	record(*(const char *)arg);
}

/* A timer a few ms on, so that a round never sleeps for long. */
static int
guard(int ms)
{
	int id = loop_timer_new(lp, on_timer, (void *)(intptr_t)3);

	assert_true(id >= 0);
	loop_timer_at(lp, id, loop_now() + (uint64_t)ms);
	return id;
}

static void
descriptors(void **state)
{
	(void)state;
	assert_int_equal(loop_fd_add(lp, pipes[0][0], POLLIN, on_readable,
	    "r"), 0);
	fill(0);
	assert_int_equal(loop_once(lp), 0);
	assert_string_equal(calls, "r");
	/* Nothing ready: the guard timer ends the round. */
	guard(2);
	assert_int_equal(loop_once(lp), 0);
	assert_string_equal(calls, "r3");
	/* What it waits for can change: the write end, writable. */
	assert_int_equal(loop_fd_add(lp, pipes[0][1], 0, on_writable, "w"),
	    0);
	guard(2);
	assert_int_equal(loop_once(lp), 0);
	assert_string_equal(calls, "r33");
	loop_fd_events(lp, pipes[0][1], POLLOUT);
	assert_int_equal(loop_once(lp), 0);
	assert_string_equal(calls, "r33w");
	/* Gone: not called. */
	loop_fd_del(lp, pipes[0][1]);
	fill(0);
	assert_int_equal(loop_once(lp), 0);
	assert_string_equal(calls, "r33wr");
}

static void
timers_fire_once_in_time_order(void **state)
{
	uint64_t t0 = loop_now();

	(void)state;
	for (int i = 0; i < 3; i++) {
		timer_ids[i] = loop_timer_new(lp, on_timer,
		    (void *)(intptr_t)i);
		assert_true(timer_ids[i] >= 0);
	}
	loop_timer_at(lp, timer_ids[0], t0 + 12);
	loop_timer_at(lp, timer_ids[1], t0 + 4);
	loop_timer_at(lp, timer_ids[2], t0 + 8);
	while (ncalls < 3)
		assert_int_equal(loop_once(lp), 0);
	assert_string_equal(calls, "120");
	assert_true(fired_at[1] >= t0 + 4);
	assert_true(fired_at[2] >= t0 + 8);
	assert_true(fired_at[0] >= t0 + 12);
	/* Once: disarmed after firing. */
	guard(15);
	while (ncalls < 4)
		assert_int_equal(loop_once(lp), 0);
	assert_string_equal(calls, "1203");
}

/* Timers due in the same round fire earliest first. */
static void
due_together_earliest_first(void **state)
{
	uint64_t t0 = loop_now();
	struct timespec ms3 = { 0, 3000000 };

	(void)state;
	for (int i = 0; i < 3; i++)
		timer_ids[i] = loop_timer_new(lp, on_timer,
		    (void *)(intptr_t)i);
	loop_timer_at(lp, timer_ids[0], t0 + 2);
	loop_timer_at(lp, timer_ids[1], t0 + 1);
	loop_timer_at(lp, timer_ids[2], t0 + 1);
	nanosleep(&ms3, NULL);
	assert_int_equal(loop_once(lp), 0);
	assert_string_equal(calls, "120");
}

static void
rearm_self(void *arg, uint64_t now)
{
	int *left = arg;

	record('a');
	if (--*left > 0)
		loop_timer_at(lp, timer_ids[0], now + 1);
}

static void
timers_rearm_and_disarm(void **state)
{
	int left = 3;

	(void)state;
	timer_ids[0] = loop_timer_new(lp, rearm_self, &left);
	timer_ids[1] = loop_timer_new(lp, on_timer, (void *)(intptr_t)1);
	loop_timer_at(lp, timer_ids[0], loop_now() + 1);
	loop_timer_at(lp, timer_ids[1], loop_now() + 2);
	loop_timer_at(lp, timer_ids[1], 0);
	while (left > 0)
		assert_int_equal(loop_once(lp), 0);
	guard(5);
	while (strchr(calls, '3') == NULL)
		assert_int_equal(loop_once(lp), 0);
	assert_string_equal(calls, "aaa3");
	/* A freed timer is not called either, and its slot is reused. */
	loop_timer_at(lp, timer_ids[1], loop_now() + 1);
	loop_timer_free(lp, timer_ids[1]);
	assert_int_equal(loop_timer_new(lp, on_timer, (void *)(intptr_t)2),
	    timer_ids[1]);
	guard(5);
	while (strchr(calls + 4, '3') == NULL)
		assert_int_equal(loop_once(lp), 0);
	assert_string_equal(calls, "aaa33");
}

static void
hooks_before_each_sleep(void **state)
{
	int id;

	(void)state;
	assert_true(loop_hook_add(lp, on_hook, "h") >= 0);
	id = loop_hook_add(lp, on_hook, "k");
	assert_true(id >= 0);
	assert_int_equal(loop_fd_add(lp, pipes[0][0], POLLIN, on_readable,
	    "r"), 0);
	fill(0);
	assert_int_equal(loop_once(lp), 0);
	guard(1);
	assert_int_equal(loop_once(lp), 0);
	assert_string_equal(calls, "hkrhk3");
	loop_hook_del(lp, id);
	fill(0);
	assert_int_equal(loop_once(lp), 0);
	assert_string_equal(calls, "hkrhk3hr");
}

/* Callbacks that take another registration away during the round. */
static void
del_other_fd(void *arg, int fd, short revents)
{
	(void)arg;
	(void)revents;
	record('a');
	drain(fd);
	loop_fd_del(lp, pipes[1][0]);
}

static void
free_other_timer(void *arg, uint64_t now)
{
	(void)arg;
	(void)now;
	record('t');
	loop_timer_free(lp, timer_ids[1]);
}

static void
del_other_hook(void *arg, uint64_t now)
{
	(void)now;
	record('h');
	loop_hook_del(lp, *(int *)arg);
}

static void
removed_during_a_round(void **state)
{
	uint64_t t0 = loop_now();
	struct timespec ms2 = { 0, 2000000 };
	int other_hook;

	(void)state;
	assert_int_equal(loop_fd_add(lp, pipes[0][0], POLLIN, del_other_fd,
	    NULL), 0);
	assert_int_equal(loop_fd_add(lp, pipes[1][0], POLLIN, on_readable,
	    "b"), 0);
	timer_ids[0] = loop_timer_new(lp, free_other_timer, NULL);
	timer_ids[1] = loop_timer_new(lp, on_timer, (void *)(intptr_t)1);
	loop_timer_at(lp, timer_ids[0], t0 + 1);
	loop_timer_at(lp, timer_ids[1], t0 + 1);
	assert_true(loop_hook_add(lp, del_other_hook, &other_hook) >= 0);
	other_hook = loop_hook_add(lp, on_hook, "k");
	fill(0);
	fill(1);
	nanosleep(&ms2, NULL);
	assert_int_equal(loop_once(lp), 0);
	assert_string_equal(calls, "hat");
	guard(2);
	assert_int_equal(loop_once(lp), 0);
	assert_string_equal(calls, "hath3");
}

static void
readd_elsewhere(void *arg, int fd, short revents)
{
	(void)arg;
	(void)revents;
	record('a');
	drain(fd);
	/* Close the other, and let a new descriptor take its number. */
	loop_fd_del(lp, pipes[1][0]);
	close(pipes[1][0]);
	assert_int_equal(dup2(pipes[0][0], pipes[1][0]), pipes[1][0]);
	assert_int_equal(loop_fd_add(lp, pipes[1][0], POLLIN, on_readable,
	    "n"), 0);
}

/* A descriptor deleted and added again in the round (same number) is
 * not called with the event its old self had. */
static void
readded_fd_skips_the_stale_event(void **state)
{
	(void)state;
	assert_int_equal(loop_fd_add(lp, pipes[0][0], POLLIN, readd_elsewhere,
	    NULL), 0);
	assert_int_equal(loop_fd_add(lp, pipes[1][0], POLLIN, on_readable,
	    "b"), 0);
	fill(0);
	fill(1);
	assert_int_equal(loop_once(lp), 0);
	assert_string_equal(calls, "a");
	/* Its own event, in the next round. */
	loop_fd_del(lp, pipes[0][0]);
	fill(0);
	assert_int_equal(loop_once(lp), 0);
	assert_string_equal(calls, "an");
}

static void
stop_in_timer(void *arg, uint64_t now)
{
	(void)arg;
	(void)now;
	record('s');
	loop_stop(lp);
}

static void
stop_ends_run(void **state)
{
	int id;

	(void)state;
	id = loop_timer_new(lp, stop_in_timer, NULL);
	loop_timer_at(lp, id, loop_now() + 2);
	assert_true(loop_hook_add(lp, on_hook, "h") >= 0);
	assert_int_equal(loop_run(lp), 0);
	assert_int_equal(calls[ncalls - 1], 's');
	/* Run again, it runs until stopped again. */
	loop_timer_at(lp, id, loop_now() + 2);
	assert_int_equal(loop_run(lp), 0);
	assert_int_equal(calls[ncalls - 1], 's');
}

static void
tables_are_bounded(void **state)
{
	(void)state;
	for (int i = 0; i < LOOP_MAX_FDS; i++)
		assert_int_equal(loop_fd_add(lp, 10000 + i, POLLIN, on_readable,
		    "x"), 0);
	assert_int_equal(loop_fd_add(lp, 20000, POLLIN, on_readable, "x"), -1);
	/* The same descriptor again replaces its registration. */
	assert_int_equal(loop_fd_add(lp, 10000, POLLIN, on_readable, "y"), 0);
	for (int i = 0; i < LOOP_MAX_TIMERS; i++)
		assert_true(loop_timer_new(lp, on_timer, NULL) >= 0);
	assert_int_equal(loop_timer_new(lp, on_timer, NULL), -1);
	for (int i = 0; i < LOOP_MAX_HOOKS; i++)
		assert_true(loop_hook_add(lp, on_hook, "h") >= 0);
	assert_int_equal(loop_hook_add(lp, on_hook, "h"), -1);
}

/* A module's "ms until due, -1: nothing" as a timer, and the sooner of
 * two of them. */
static void
timeouts_to_timers(void **state)
{
	(void)state;
	assert_int_equal(loop_sooner(-1, -1), -1);
	assert_int_equal(loop_sooner(-1, 5), 5);
	assert_int_equal(loop_sooner(5, -1), 5);
	assert_int_equal(loop_sooner(7, 3), 3);
	assert_int_equal(loop_sooner(0, 3), 0);
}

int
main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(descriptors),
		T(timers_fire_once_in_time_order),
		T(due_together_earliest_first),
		T(timers_rearm_and_disarm),
		T(hooks_before_each_sleep),
		T(removed_during_a_round),
		T(readded_fd_skips_the_stale_event),
		T(stop_ends_run),
		T(tables_are_bounded),
		cmocka_unit_test(timeouts_to_timers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
