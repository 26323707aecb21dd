"""The methods a path takes, on every path of every service through real HTTP, as each app's
OpenAPI document gives them: all of them in the ``Allow`` header of an answer to OPTIONS and
of a 405. (Only those of the first route on the path were listed: ``PUT /peer-workers/{id}``
was told ``Allow: GET``, though the erasure is its DELETE.)"""

import re

import httpx
import pytest

SERVICES = ["registry", "accompaniment", "reporting"]
# What fills a path's parameters: a place, a year, an id that exists nowhere.
PARAMETERS = {"code": "38", "year": "2022", "name": "regions"}
UNKNOWN_ID = "00000000-0000-4000-8000-000000000000"
ALL_METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"}


def paths(url: str) -> dict[str, set[str]]:
    """Each path of the document (parameters filled in) and the methods it has."""
    document = httpx.get(f"{url}/openapi.json").json()
    return {
        re.sub(r"\{(\w+)\}", lambda found: PARAMETERS.get(found[1], UNKNOWN_ID), path): {m.upper() for m in methods}
        for path, methods in document["paths"].items()
    }


def allowed(response: httpx.Response) -> set[str]:
    return {method.strip() for method in response.headers["allow"].split(",")}


@pytest.mark.parametrize("service", SERVICES)
def test_options_lists_every_method_of_the_path(served_services, service):
    _, url = served_services[service]
    for path, methods in paths(url).items():
        response = httpx.options(url + path)
        assert response.status_code == 204, (path, response.text)
        assert allowed(response) == methods | {"OPTIONS"}, path


@pytest.mark.parametrize("service", SERVICES)
def test_a_405_lists_every_method_of_the_path(served_services, service):
    _, url = served_services[service]
    for path, methods in paths(url).items():
        method = sorted(ALL_METHODS - methods - {"HEAD"})[0]
        response = httpx.request(method, url + path)
        assert response.status_code == 405, (path, response.text)
        assert allowed(response) == methods, path
        assert all(name in response.json()["detail"] for name in methods), response.text  # and says so


@pytest.mark.parametrize(
    ("service", "path", "methods"),
    [("registry", f"/peer-workers/{UNKNOWN_ID}", {"GET", "DELETE"}),
     ("reporting", "/operations/rebuild", {"GET", "POST"}),
     # Listed, and recorded: GET was answered 405 before the lists.
     ("accompaniment", "/accompaniments", {"GET", "POST"}),
     ("accompaniment", "/training-sessions", {"GET", "POST"})],
)
def test_a_path_with_a_route_per_method_lists_them_all(served_services, service, path, methods):
    _, url = served_services[service]
    assert paths(url)[path] == methods  # what the tests above go through
    assert allowed(httpx.put(url + path)) == methods
    assert allowed(httpx.options(url + path)) == methods | {"OPTIONS"}


def test_a_path_that_does_not_exist_is_not_found_for_options_either(served_services):
    _, url = served_services["registry"]
    assert httpx.options(f"{url}/nowhere").status_code == 404
