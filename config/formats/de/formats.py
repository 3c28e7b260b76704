# The site's German date formats (settings.FORMAT_MODULE_PATH), by name: templates and code ask
# for DATE_FORMAT, DATETIME_FORMAT, SHORT_DATETIME_FORMAT … and each language fills them in.
# Format characters: https://docs.djangoproject.com/en/5.2/ref/templates/builtins/#date
DATE_FORMAT = "j. F Y"  # 5. Januar 2027
DATETIME_FORMAT = "l, j. F Y, H:i"  # Dienstag, 5. Januar 2027, 10:00
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j. F"
SHORT_DATE_FORMAT = "d.m.Y"
# The board's client builds its times from this one too (events/static/events/board-format.js).
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
FIRST_DAY_OF_WEEK = 1
