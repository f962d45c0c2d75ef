"""The composite action's shell steps, run with bash the way GitHub runs `shell: bash`, inputs set through
the environment as the action's `env:` mapping does.  The install step is only inspected: running it
would install iaclint's dependencies from the package index."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from integration_helpers import REPO, STACK, git, make_repo

ACTION = yaml.safe_load((REPO / "action.yml").read_text())
STEPS = {step.get("id") or step["name"]: step for step in ACTION["runs"]["steps"]}

pytestmark = pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")


def run_scan_step(repo: Path, tmp_path: Path, **inputs: str):
    step = STEPS["scan"]
    # Inputs reach the script only through env, as `${{ inputs.x }}` expressions.
    defaults = {name: spec.get("default", "") for name, spec in ACTION["inputs"].items()}
    values = {**defaults, **{name.replace("_", "-"): value for name, value in inputs.items()}}
    env = {**os.environ, "GITHUB_OUTPUT": str(tmp_path / "github_output"),
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    for variable, expression in step["env"].items():
        name = expression.removeprefix("${{ inputs.").removesuffix(" }}")
        env[variable] = values[name]
    script = tmp_path / "scan.sh"
    script.write_text(step["run"])
    done = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)], cwd=repo, env=env,
                          capture_output=True, text=True, check=False)
    outputs = dict(line.split("=", 1) for line in (tmp_path / "github_output").read_text().splitlines())
    return done, outputs


def sarif_results(path: Path) -> list[tuple[str, int, str]]:
    results = json.loads(path.read_text())["runs"][0]["results"]
    return [(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
             r["locations"][0]["physicalLocation"]["region"]["startLine"], r["ruleId"]) for r in results]


def test_findings_fail_the_step_and_sarif_is_written(tmp_path):
    repo = make_repo(tmp_path / "repo", "cfn")
    done, outputs = run_scan_step(repo, tmp_path, paths="cfn/stack.yaml cfn/web.template")
    assert done.returncode == 1, done.stderr
    assert outputs == {"exit-code": "1", "sarif-file": "iaclint.sarif"}
    assert sarif_results(repo / "iaclint.sarif") == [("cfn/stack.yaml", line, code) for line, code in STACK] + [
        ("cfn/web.template", 9, "IAC201")]
    assert done.stdout.splitlines()[0].startswith(
        "::error file=cfn/stack.yaml,line=15,endLine=15,col=19,endColumn=27,title=IAC201 open-ingress::")


def test_fail_on_threshold_passes_the_step_but_still_writes_sarif(tmp_path):
    repo = make_repo(tmp_path / "repo", "cfn")
    done, outputs = run_scan_step(repo, tmp_path, paths="cfn/web.template", fail_on="critical",
                                  sarif_file="out/results.sarif")
    assert done.returncode == 2  # the output directory does not exist: iaclint says so and fails
    assert "cannot write out/results.sarif" in done.stderr
    (repo / "out").mkdir()
    done, outputs = run_scan_step(repo, tmp_path, paths="cfn/web.template", fail_on="critical",
                                  sarif_file="out/results.sarif")
    assert done.returncode == 0, done.stderr
    assert outputs == {"exit-code": "0", "sarif-file": "out/results.sarif"}
    assert sarif_results(repo / "out" / "results.sarif") == [("cfn/web.template", 9, "IAC201")]


def test_diff_base_fails_and_annotates_only_new_findings_but_sarif_holds_all(tmp_path):
    repo = make_repo(tmp_path / "repo", "cfn")
    git("checkout", "-q", "-b", "feature", cwd=repo)
    stack = repo / "cfn" / "stack.yaml"
    stack.write_text(stack.read_text().replace(
        "  Alice:\n", "        - {IpProtocol: tcp, FromPort: 3389, ToPort: 3389, CidrIp: 0.0.0.0/0}\n  Alice:\n"))
    git("commit", "-qam", "open RDP", cwd=repo)
    done, outputs = run_scan_step(repo, tmp_path, diff_base="main", paths="cfn")
    assert done.returncode == 1, done.stderr
    annotations = [line for line in done.stdout.splitlines() if line.startswith("::")]
    assert len(annotations) == 1 and annotations[0].startswith("::error file=cfn/stack.yaml,line=16,")
    # Code scanning gets the whole state of the branch: old findings too, shifted lines and all.
    assert sarif_results(repo / "iaclint.sarif") == [
        ("cfn/stack.yaml", 15, "IAC201"), ("cfn/stack.yaml", 16, "IAC201"),
        *[("cfn/stack.yaml", line + 1, code) for line, code in STACK[1:]], ("cfn/web.template", 9, "IAC201")]
    assert outputs == {"exit-code": "1", "sarif-file": "iaclint.sarif"}


def test_config_baseline_and_extra_arguments(tmp_path):
    repo = make_repo(tmp_path / "repo", "cfn")
    (repo / "ci.toml").write_text('ignore = ["IAC301"]\n')
    subprocess.run([sys.executable, "-m", "iaclint", "--write-baseline", "base.json", "cfn/web.template"], cwd=repo,
                   check=True, capture_output=True)
    done, outputs = run_scan_step(repo, tmp_path, paths="cfn/stack.yaml cfn/web.template", config="ci.toml",
                                  baseline="base.json", args="--select IAC201,IAC301",
                                  format="text", sarif_file="")
    # web.template's finding is in the baseline, IAC301 ignored by the configuration, the rest not selected.
    assert done.returncode == 1, done.stderr
    assert [line.split(": ")[0] for line in done.stdout.splitlines()[:-1]] == ["cfn/stack.yaml:15:19"]


def test_no_sarif_when_sarif_file_is_empty(tmp_path):
    repo = make_repo(tmp_path / "repo", "cfn")
    done, outputs = run_scan_step(repo, tmp_path, paths="cfn/web.template", sarif_file="")
    assert done.returncode == 1
    assert outputs == {"exit-code": "1"}
    assert not (repo / "iaclint.sarif").exists()


def test_install_step_installs_from_the_actions_own_checkout():
    step = STEPS["Install iaclint"]
    assert step["env"] == {"ACTION_PATH": "${{ github.action_path }}"}
    assert 'pip install --quiet --disable-pip-version-check "$ACTION_PATH"' in step["run"]
    assert all("${{" not in step["run"] for step in ACTION["runs"]["steps"])  # no expression in a script
