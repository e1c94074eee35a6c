"""The container and Kubernetes files: the manifests validate against Kubernetes' own schemas (kubernetes-validate
bundles them), the kustomization names every manifest, and what the files promise matches the server: probe paths,
settings it reads, a drain that fits the termination grace period, the runtime the minimal-root check uses."""
import os
import re
import subprocess
import sys

import requests
import yaml

from conftest import ROOT

KUBERNETES = os.path.join(ROOT, "deploy", "kubernetes")
VALIDATOR = os.path.join(os.path.dirname(sys.executable), "kubernetes-validate")  # installed beside pytest


def manifests():
    return sorted(name for name in os.listdir(KUBERNETES) if name.endswith(".yaml") and name != "kustomization.yaml")


def load(name):
    with open(os.path.join(KUBERNETES, name)) as file:
        return yaml.safe_load(file)


def test_every_manifest_validates_strictly_against_the_kubernetes_schemas():
    for version in ("1.30.0", "1.37.0"):
        result = subprocess.run([VALIDATOR, "--strict", "--quiet", "-k", version, *manifests()], cwd=KUBERNETES,
                                capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr


def test_the_validator_refuses_a_broken_manifest(tmp_path):
    broken = load("deployment.yaml")
    broken["spec"]["template"]["spec"]["containers"][0]["readinessProbe"]["httpGet"]["port"] = {"name": "http"}
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(broken))
    assert subprocess.run([VALIDATOR, "--strict", "--quiet", str(path)], capture_output=True).returncode != 0


def test_the_kustomization_names_every_manifest_but_the_secret_template():
    listed = load("kustomization.yaml")["resources"]
    assert sorted(listed) == [name for name in manifests() if name != "secret.example.yaml"]


def test_the_deployment_probes_the_servers_health_routes_and_its_grace_period_covers_the_drain(server):
    deployment = load("deployment.yaml")
    pod = deployment["spec"]["template"]["spec"]
    container = pod["containers"][0]
    assert deployment["spec"]["replicas"] == 3
    assert container["livenessProbe"]["httpGet"]["path"] == "/health/live"
    assert container["readinessProbe"]["httpGet"]["path"] == "/health/ready"
    for path in ("/health/live", "/health/ready"):
        assert requests.get(server.base_url + path, timeout=1).status_code == 200
    drain = container["lifecycle"]["preStop"]["sleep"]["seconds"] + int(load("configmap.yaml")["data"]["NEXUSONE_SHUTDOWN_GRACE"])
    in_flight = int(re.search(r"inFlightBudget = Duration.seconds\((\d+)\)",
                              open(os.path.join(ROOT, "Sources", "Server", "Configuration.swift")).read()).group(1))
    assert pod["terminationGracePeriodSeconds"] > drain + in_flight, "the server exits before the kubelet kills it"
    assert pod["securityContext"]["runAsNonRoot"] and container["securityContext"]["readOnlyRootFilesystem"]
    assert container["resources"]["requests"]["memory"] and container["resources"]["limits"]["memory"]
    assert load("poddisruptionbudget.yaml")["spec"]["selector"]["matchLabels"] == deployment["spec"]["selector"]["matchLabels"]
    assert load("service.yaml")["spec"]["selector"] == deployment["spec"]["selector"]["matchLabels"]


def test_every_setting_in_the_configmap_and_secret_is_one_the_server_reads():
    source = open(os.path.join(ROOT, "Sources", "Server", "Configuration.swift")).read()
    read = {"NEXUSONE_" + name for name in re.findall(r'value\("([A-Z_]+)"\)', source)}
    given = set(load("configmap.yaml")["data"]) | set(load("secret.example.yaml")["stringData"])
    assert given <= read, given - read


def test_the_dockerfile_builds_the_static_binary_and_runs_it_as_a_non_root_user_with_a_health_check():
    dockerfile = open(os.path.join(ROOT, "Dockerfile")).read()
    assert "--static-swift-stdlib" in dockerfile
    assert re.search(r"^USER 10001", dockerfile, re.M)
    assert re.search(r"^HEALTHCHECK .*\n.*/health/ready", dockerfile, re.M)
    runtime = dockerfile.split("\nFROM ")[-1]
    listed = re.search(r"^# runtime-packages: (.+)$", runtime, re.M).group(1).split()
    installed = re.search(r"apt-get install -y --no-install-recommends ([^\\&]+)", runtime).group(1).split()
    assert listed == installed, "scripts/minimal-root.sh builds its root from the runtime-packages line"
