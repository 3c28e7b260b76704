from tests.authz import AuthzCase

CASES = [
    AuthzCase("dashboard", lambda w: "/mein-bereich/", allowed="dortmund_staff"),
]
