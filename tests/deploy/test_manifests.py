"""The Kubernetes manifest and the compose file: valid against their schemas (checked
offline, with the schemas the validators bundle: kubernetes-validate for Kubernetes,
check-jsonschema's compose-spec for compose), and wired to the service as it is: the
probes hit endpoints that exist, the autoscaler scales the Deployment, the Service
reaches the container's port, the image runs as the Containerfile's non-root user."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
KUBERNETES = ROOT / "deploy" / "kubernetes.yaml"
COMPOSE = ROOT / "deploy" / "compose.yaml"


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, timeout=300, check=False,
                          cwd=ROOT)


def test_the_kubernetes_manifest_is_valid() -> None:
    done = _run(str(BIN / "kubernetes-validate"), "--strict", str(KUBERNETES))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "passed" in done.stdout and "failed" not in done.stdout.lower()


def test_the_compose_file_is_valid() -> None:
    done = _run(str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.compose-spec",
                str(COMPOSE))
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.fixture(scope="module")
def resources() -> dict[str, Any]:
    documents = list(YAML(typ="safe").load_all(KUBERNETES.read_text()))
    return {d["kind"]: d for d in documents}


def _uid_in_containerfile() -> int:
    for line in (ROOT / "Containerfile").read_text().splitlines():
        if line.startswith("USER "):
            return int(line.split()[1].split(":")[0])
    raise AssertionError("the Containerfile names no USER")


def test_the_deployment_probes_the_service_as_it_is(resources: dict[str, Any]) -> None:
    assert {"Deployment", "Service", "HorizontalPodAutoscaler"} <= set(resources)
    pod = resources["Deployment"]["spec"]["template"]["spec"]
    container = pod["containers"][0]
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert {"cpu", "memory"} <= set(container["resources"]["requests"])
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert pod["securityContext"]["runAsUser"] == _uid_in_containerfile()
    port = container["ports"][0]
    assert port["containerPort"] == 8000
    service = resources["Service"]["spec"]
    assert service["ports"][0]["targetPort"] in (port["name"], port["containerPort"])
    assert service["selector"].items() <= \
        resources["Deployment"]["spec"]["template"]["metadata"]["labels"].items()


def test_the_autoscaler_scales_the_deployment_on_cpu(resources: dict[str, Any]) -> None:
    hpa = resources["HorizontalPodAutoscaler"]["spec"]
    assert hpa["scaleTargetRef"]["kind"] == "Deployment"
    assert hpa["scaleTargetRef"]["name"] == resources["Deployment"]["metadata"]["name"]
    assert [m["resource"]["name"] for m in hpa["metrics"]] == ["cpu"]
    assert hpa["minReplicas"] >= 2


def test_the_probed_paths_answer(client: TestClient, resources: dict[str, Any]) -> None:
    container = resources["Deployment"]["spec"]["template"]["spec"]["containers"][0]
    for probe in ("readinessProbe", "livenessProbe"):
        assert client.get(container[probe]["httpGet"]["path"]).status_code == 200


def test_compose_runs_the_image_as_it_is_built() -> None:
    service = YAML(typ="safe").load(COMPOSE.read_text())["services"]["escalate"]
    assert service["user"].split(":")[0] == str(_uid_in_containerfile())
    assert "/readyz" in " ".join(service["healthcheck"]["test"])
    assert service["ports"][0].endswith(":8000")


def _final_stage() -> str:
    """The Containerfile's last build stage (what the image is made of), continuation
    lines joined."""
    text = (ROOT / "Containerfile").read_text().replace("\\\n", " ")
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    starts = [i for i, line in enumerate(lines) if line.startswith("FROM ")]
    assert len(starts) >= 2, "the Containerfile installs in a first stage"
    return "\n".join(lines[starts[-1]:])


def test_the_image_keeps_no_wheels_and_has_what_pdf_letters_need() -> None:
    final = _final_stage()
    assert "dist/wheels" not in final  # the wheels stay in the first stage
    assert "COPY --from=" in final and "/opt/escalate" in final
    for package in ("libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz-subset0",
                    "fonts-dejavu-core"):
        assert package in final, package


def test_the_image_carries_the_oci_labels() -> None:
    final = _final_stage()
    for key in ("title", "description", "version", "revision", "created", "licenses"):
        assert f"org.opencontainers.image.{key}=" in final, key
    assert 'org.opencontainers.image.licenses="Apache-2.0"' in final
