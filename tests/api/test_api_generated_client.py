"""A client generated from the served /openapi.json by openapi-python-client, as an
outside developer who never read our code would make one, calls every operation of a
served escalate (with an API key, as a keyed deployment needs), fetches a letter in every
format, and keeps working when a response gains a field. A TypeScript client made the
same way (types by openapi-typescript, calls by openapi-fetch, compiled by tsc; the npm
packages pinned in tests/api/ts_client/package.json) fetches a letter in every format too.

The generator runs offline (it only reads the document) into a temporary folder.
"""

from __future__ import annotations

import importlib
import json
import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from bench.load import free_port, stop_group
from escalate.examples import example_cases

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
API_KEY = "generated-client-key"
PACKAGE = "escalate_generated_client"


def _get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


@pytest.fixture(scope="module")
def served() -> Iterator[str]:
    """A real escalate service, on a free port, that needs an API key."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("ESCALATE_")}
    env["ESCALATE_API_KEYS"] = API_KEY
    proc = subprocess.Popen([str(BIN / "escalate"), "serve", "--port", str(port)], cwd=ROOT,
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None, "escalate serve exited during start-up"
            assert time.monotonic() < deadline, "escalate serve was not ready in time"
            try:
                if _get(base + "/readyz") == 200:
                    break
            except OSError:
                time.sleep(0.2)
        yield base
    finally:
        stop_group(proc)


@pytest.fixture(scope="module")
def generated(served: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    """The client package generated from the served document, imported."""
    work = tmp_path_factory.mktemp("generated-client")
    with urllib.request.urlopen(served + "/openapi.json", timeout=10) as response:  # noqa: S310
        (work / "openapi.json").write_bytes(response.read())
    done = subprocess.run(
        [str(BIN / "openapi-python-client"), "generate", "--path", "openapi.json",
         "--output-path", PACKAGE, "--meta", "none"],
        cwd=work, capture_output=True, text=True, timeout=300, check=False,
        env={**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"},
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Warning" not in done.stdout, done.stdout  # nothing of the document was skipped
    sys.path.insert(0, str(work))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(work))
        for name in [n for n in sys.modules if n.split(".")[0] == PACKAGE]:
            del sys.modules[name]


def _client(package: ModuleType, base: str, key: str | None = API_KEY) -> Any:
    if key is None:
        return package.Client(base_url=base)
    return package.AuthenticatedClient(base_url=base, token=key, prefix="",
                                       auth_header_name="X-API-Key")


def _op(package: ModuleType, name: str) -> Any:
    return importlib.import_module(f"{package.__name__}.api.{name}")


def test_the_generated_client_calls_every_operation(generated: ModuleType, served: str) -> None:
    models = importlib.import_module(f"{generated.__name__}.models")
    client = _client(generated, served)
    case = models.Case.from_dict(example_cases()["02_unanswered_concern"])
    advice = _op(generated, "advice.advise").sync(client=client, body=case)
    assert isinstance(advice, models.Advice), advice
    assert advice.recommendations and advice.recommendations[0].priority == 1
    assert "not legal advice" in advice.disclaimer

    moves = _op(generated, "catalogue.list_moves").sync(client=client)
    assert {m.id.value for m in moves} >= {r.move.value for r in advice.recommendations}
    rules = _op(generated, "catalogue.list_rules").sync(client=client)
    assert rules.rules_version == advice.rules_version and rules.rules
    assert _op(generated, "health.healthz").sync(client=client).status == "ok"
    assert _op(generated, "health.readyz").sync(client=client).rules_version \
        == advice.rules_version


def test_the_generated_client_fetches_a_letter_in_every_format(generated: ModuleType,
                                                              served: str) -> None:
    """It crashed on every format when the first documented type was text/markdown with
    a binary schema (issue 20)."""
    models = importlib.import_module(f"{generated.__name__}.models")
    write = _op(generated, "letters.write_letter")
    case = models.Case.from_dict(example_cases()["02_unanswered_concern"])
    for fmt, opening in (("md", b""), ("docx", b"PK"), ("pdf", b"%PDF")):
        for lang in ("en", "es"):
            letter = write.sync(client=_client(generated, served),
                                move=models.MoveId("written_concern"), body=case,
                                format_=models.WriteLetterFormatType0(fmt),
                                lang=models.WriteLetterLangType0(lang))
            assert isinstance(letter, generated.types.File), (fmt, letter)
            content = letter.payload.read()
            assert content.startswith(opening) and len(content) > 500, (fmt, content[:40])
            if fmt == "md":  # the Markdown text, whole
                assert "escalate" in content.decode("utf-8")


def test_the_generated_client_reads_the_documented_errors(generated: ModuleType,
                                                          served: str) -> None:
    models = importlib.import_module(f"{generated.__name__}.models")
    advise = _op(generated, "advice.advise")
    case = models.Case.from_dict(example_cases()["02_unanswered_concern"])
    refused = advise.sync_detailed(client=_client(generated, served, key="wrong"), body=case)
    assert refused.status_code == 401
    assert isinstance(refused.parsed, models.ErrorMessage)
    bad = dict(example_cases()["02_unanswered_concern"], as_of="2000-01-01")
    invalid = advise.sync_detailed(client=_client(generated, served),
                                   body=models.Case.from_dict(bad))
    assert invalid.status_code == 422
    assert isinstance(invalid.parsed, models.HTTPValidationError)
    assert invalid.parsed.error_count >= 1 and invalid.parsed.detail[0].loc


def test_the_generated_client_survives_added_response_fields_and_values(
        generated: ModuleType, served: str) -> None:
    """The contract lets responses gain fields, moves and statuses: a generated model
    must read them."""
    models = importlib.import_module(f"{generated.__name__}.models")
    request = urllib.request.Request(
        served + "/v1/advice", data=json.dumps(example_cases()["02_unanswered_concern"]).encode(),
        headers={"Content-Type": "application/json", "X-API-Key": API_KEY}, method="POST")
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        body = json.loads(response.read())
    body["added_later"] = {"any": "shape"}
    body["recommendations"][0]["added_later"] = 1
    body["ladder"][0]["added_later"] = [1]
    advice = models.Advice.from_dict(body)
    assert advice.additional_properties["added_later"] == {"any": "shape"}
    assert advice.recommendations[0].move.value == body["recommendations"][0]["move"]
    moves = [dict(m, added_later=True) for m in
             json.loads(urllib.request.urlopen(urllib.request.Request(  # noqa: S310
                 served + "/v1/moves", headers={"X-API-Key": API_KEY}), timeout=10).read())]
    assert [models.MoveInfo.from_dict(m).id.value for m in moves] == [m["id"] for m in moves]

    later = dict(body)
    later["recommendations"] = [dict(body["recommendations"][0], move="a_move_added_in_2030")]
    later["ladder"] = [dict(body["ladder"][0], status="a_status_added_in_2030")]
    read = models.Advice.from_dict(later)
    assert read.recommendations[0].move == "a_move_added_in_2030"
    assert read.ladder[0].status == "a_status_added_in_2030"
    assert models.MoveInfo.from_dict(dict(moves[0], id="new_move", kind="new_kind")).id \
        == "new_move"


TS_CLIENT = Path(__file__).parent / "ts_client"


@pytest.fixture(scope="module")
def ts_client(served: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """tests/api/ts_client with its npm packages (pinned in package.json) installed, its
    types generated from the served /openapi.json by openapi-typescript, and compiled by
    tsc (strict): the compiled client, ready for node."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        message = "node and npm are needed for the TypeScript client test"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    work = tmp_path_factory.mktemp("ts-client")
    for name in ("package.json", "tsconfig.json", "letters.ts"):
        shutil.copy(TS_CLIENT / name, work / name)
    with urllib.request.urlopen(served + "/openapi.json", timeout=10) as response:  # noqa: S310
        (work / "openapi.json").write_bytes(response.read())

    def run(*command: str) -> None:
        done = subprocess.run(command, cwd=work, capture_output=True, text=True,
                              timeout=300, check=False)
        assert done.returncode == 0, f"{command}: {done.stdout[-3000:]}{done.stderr[-3000:]}"

    run(npm, "install", "--no-audit", "--no-fund", "--loglevel=error")
    run(str(work / "node_modules" / ".bin" / "openapi-typescript"), "openapi.json", "-o",
        "schema.d.ts")
    run(str(work / "node_modules" / ".bin" / "tsc"), "-p", "tsconfig.json")
    return work / "out" / "letters.js"


def test_the_typescript_client_fetches_a_letter_in_every_format(ts_client: Path,
                                                               served: str) -> None:
    done = subprocess.run(
        [str(shutil.which("node")), str(ts_client), served, API_KEY,
         json.dumps(example_cases()["02_unanswered_concern"])],
        capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    fetched = json.loads(done.stdout)
    expected = {"md": ("text/markdown", None), "docx": ("application/vnd.openxmlformats",
                                                        "PK"),
                "pdf": ("application/pdf", "%PDF")}
    for fmt, (media, head) in expected.items():
        letter = fetched[fmt]
        assert letter["status"] == 200 and letter["type"].startswith(media), letter
        assert letter["bytes"] > 500 and (head is None or letter["head"].startswith(head))
