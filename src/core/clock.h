/*
 * clock: the monotonic clock in seconds, for durations (job times, timeouts, rates,
 * an upload's phases). Never a date: dates come from the store's clock (lf_store_now).
 */
#ifndef LF_CORE_CLOCK_H
#define LF_CORE_CLOCK_H

/* Seconds on CLOCK_MONOTONIC: only differences mean anything. */
double lf_clock_mono(void);

#endif
