# The site's English date formats (settings.FORMAT_MODULE_PATH): British order, 24-hour clock,
# like the German pages, not Django's American defaults ("Jan. 5, 2027, 10 a.m.").
DATE_FORMAT = "j F Y"  # 5 January 2027
DATETIME_FORMAT = "l, j F Y, H:i"  # Tuesday, 5 January 2027, 10:00
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "d/m/Y"
# The board's client builds its times from this one too (events/static/events/board-format.js).
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
FIRST_DAY_OF_WEEK = 1
