#!/usr/bin/env bash
# Installs the project-local Deno kernelspec in <project>/.jupyter/kernels/deno.
#
# `deno jupyter --install` only writes into the user's home, pointing at whichever deno
# ran it. The project pins its own Deno, so the spec lives in the project and Jupyter
# finds it through JUPYTER_PATH=<project>/.jupyter. It holds an absolute path, so it is
# generated on each machine and never committed. Running it again replaces the spec.
#
# Usage: install_kernel.sh <absolute path to deno>
set -euo pipefail

if [[ $# -ne 1 ]]; then
  echo "usage: install_kernel.sh <absolute path to deno>" >&2
  exit 2
fi
deno=$1
if [[ $deno != /* ]]; then
  echo "install_kernel.sh: the deno path must be absolute, got '$deno'" >&2
  exit 2
fi
if [[ ! -x $deno ]]; then
  echo "install_kernel.sh: '$deno' is not an executable file" >&2
  exit 2
fi

project=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
target=$project/.jupyter/kernels/deno
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

# Deno's own installer writes the argv and logos that match this Deno version.
if ! HOME=$scratch NO_COLOR=1 "$deno" jupyter --install --force >"$scratch/install.log" 2>&1; then
  echo "install_kernel.sh: '$deno jupyter --install' failed:" >&2
  cat "$scratch/install.log" >&2
  exit 1
fi
generated=$scratch/.local/share/jupyter/kernels/deno

# The kernel must not colour its outputs: ANSI codes end up in saved notebooks.
# shellcheck disable=SC2016 # the ${...} below are TypeScript template literals
NO_COLOR=1 "$deno" eval --no-config '
  const [path, deno] = Deno.args;
  const spec = JSON.parse(Deno.readTextFileSync(path));
  if (!Array.isArray(spec.argv) || !spec.argv.includes("{connection_file}")) {
    throw new Error(`unexpected argv in the kernelspec written by deno: ${JSON.stringify(spec.argv)}`);
  }
  spec.argv[0] = deno;
  spec.display_name = "Deno (project)";
  spec.env = { NO_COLOR: "1" };
  Deno.writeTextFileSync(path, JSON.stringify(spec, null, 2) + "\n");
' "$generated/kernel.json" "$deno"

mkdir -p "$(dirname "$target")"
rm -rf "$target"
cp -R "$generated" "$target"
echo "Deno kernelspec written to $target (Jupyter finds it with JUPYTER_PATH=$project/.jupyter)"
