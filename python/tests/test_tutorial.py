"""The tutorial that started the product runs unchanged on vigil: as a notebook executed by
jupyter nbconvert, and as a plain script. Both must print exactly what Pathway prints for
the seed's logins.csv, which the seed's README records."""

import os
import re
import shutil
import subprocess
import sys

import nbformat


def pathway_answer(shared_dir):
    """The table Pathway printed, as the seed's README quotes it."""
    readme = (shared_dir / "seed" / "README.md").read_text()
    block = re.search(r"```\n(.*?)```", readme, re.S)
    assert block, "the seed README has no quoted output"
    return block.group(1)


def environment(shared_dir):
    env = dict(os.environ)
    env["VIGIL_LOGINS_CSV"] = str(shared_dir / "seed" / "logins.csv")
    return env


def test_notebook_output_is_pathways(tmp_path, shared_dir, repo_dir):
    notebook = repo_dir / "examples" / "notebooks" / "suspicious_logins.ipynb"
    shutil.copy(notebook, tmp_path / notebook.name)
    subprocess.run(
        ["jupyter-nbconvert", "--to", "notebook", "--execute", notebook.name,
         "--output", "executed.ipynb", "--ExecutePreprocessor.kernel_name=python3"],
        cwd=tmp_path, env=environment(shared_dir), check=True, capture_output=True)
    executed = nbformat.read(tmp_path / "executed.ipynb", as_version=4)
    code_cells = [c for c in executed.cells if c.cell_type == "code"]
    for cell in code_cells[:-1]:
        assert not [o for o in cell.outputs if o.output_type == "error"], cell.source
    outputs = code_cells[-1].outputs
    assert [o.output_type for o in outputs] == ["stream"]
    assert outputs[0].name == "stdout"
    assert outputs[0].text == pathway_answer(shared_dir)


def test_script_output_is_pathways(shared_dir, repo_dir):
    script = repo_dir / "examples" / "python" / "suspicious_logins.py"
    done = subprocess.run([sys.executable, str(script), str(shared_dir / "seed" / "logins.csv")],
                          env=environment(shared_dir), check=True, capture_output=True, text=True)
    assert done.stdout == pathway_answer(shared_dir)
    assert done.stderr == ""
