"""Login rate limits per person behind nginx: nginx sets X-Forwarded-For from the socket (a
client's own header is not trusted) and Django takes the client's address from it
(TRUSTED_PROXY_COUNT=1). Sixty people from sixty addresses log in within a minute; eleven wrong
passwords throttle that account and that address, nobody else."""

from concurrent.futures import ThreadPoolExecutor

from .conftest import browser, logged_in, login

WRONG = "falsches-passwort"


def test_sixty_logins_a_minute_from_sixty_addresses_all_succeed(topology, people):
    scenario = people("login", 60)
    addresses = [f"127.0.0.{10 + n}" for n in range(60)]

    def one(pair):
        address, source = pair
        session = browser(source)
        # A forged header must not make these one person either.
        session.headers["X-Forwarded-For"] = "198.51.100.7"
        return logged_in(login(session, topology.url, address))

    with ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(one, zip(scenario["emails"], addresses, strict=True)))
    assert results.count(False) == 0


def test_eleven_wrong_passwords_throttle_that_account_and_address_only(topology, people):
    victim, neighbour, other = people("throttle", 3)["emails"]
    attacker = "127.0.0.200"
    session = browser(attacker)
    answers = [login(session, topology.url, victim, WRONG) for _ in range(11)]
    assert not any(logged_in(answer) for answer in answers)
    assert any("Zu viele" in answer.text for answer in answers[-1:]), answers[-1].text[:500]

    # The account: even its right password from elsewhere is refused for now.
    assert not logged_in(login(browser("127.0.0.201"), topology.url, victim))
    # The address: someone else from it is refused too.
    assert not logged_in(login(browser(attacker), topology.url, neighbour))
    # Nobody else: another person from another address logs in.
    assert logged_in(login(browser("127.0.0.202"), topology.url, other))
    assert logged_in(login(browser("127.0.0.203"), topology.url, neighbour))
