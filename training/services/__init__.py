"""Writes of training, one module per concern: `seats` (the course date's row lock, the seat
count and promotion from the waiting list, which every seat-changing write shares), `registration`,
`waiting_list`, `course_dates`, `attendance`, `calendar_feed`, `jobs` (the scheduled ones) and
`mail` (the mails they send). Callers import from the concern's module."""
