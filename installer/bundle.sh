# Install or upgrade from an offline release bundle (installer/bundle.py), with no network at
# all: unpack it, verify its signature and every file, install its Debian packages, its release
# folder and the release's Python environment, then run that release's installer with the same
# arguments (an `upgrade` is pointed at the new release). Sourced by install.sh.

kiosk_install_from_bundle() {
  local here=$1 bundle=$2
  shift 2
  local prefix=/ previous="" arg
  for arg in "$@"; do
    [ "$previous" = --prefix ] && prefix=$arg
    previous=$arg
  done
  command -v python3 >/dev/null || { echo "install.sh: 需要 python3（Debian 12 自带）" >&2; return 1; }
  [ -f "$bundle" ] || { echo "install.sh: 没有安装包文件 $bundle" >&2; return 1; }
  bundle="$(realpath "$bundle")"
  local work folder
  work="$(mktemp -d)"
  # shellcheck disable=SC2064  # the folder is known now
  trap "rm -rf '$work'" EXIT
  folder="$(cd "$here" && python3 -m installer.bundle unpack "$bundle" "$work")"

  # The verifier: the installed release's code and environment, which this terminal already
  # trusts; on a first install, this release's code with the bundle's own cryptography wheels
  # (the trust then rests on the key's fingerprint, which the enrolment checks with the centre).
  local current="$prefix/opt/township-kiosk/current" trust="$prefix/var/lib/township-kiosk/trust/central.pem"
  local verifier=(python3) code="$here"
  if [ -x "$current/.venv/bin/python" ]; then
    verifier=("$current/.venv/bin/python")
    code="$(realpath "$current")"
  else
    local pip_wheel
    pip_wheel="$(find "$folder/wheels" -name 'pip-*.whl' | head -n 1)"
    python3 "$pip_wheel/pip" install -q --disable-pip-version-check --no-index \
      --find-links "$folder/wheels" --target "$work/verifier" cryptography >&2
    verifier=(env "PYTHONPATH=$work/verifier" python3)
  fi
  (cd "$code" && "${verifier[@]}" -m installer.bundle verify "$folder" --trust "$trust") >/dev/null

  local release
  release="$(cd "$folder/release" && python3 -m installer.bundle_install install "$folder" --prefix "$prefix")"
  local args=("$@") upgrading=0 released=0
  for arg in "$@"; do
    [ "$arg" = upgrade ] && upgrading=1
    [ "$arg" = --release ] && released=1
  done
  [ $upgrading = 1 ] && [ $released = 0 ] && args+=(--release "$release")
  (cd "$release" && "$release/.venv/bin/python" -m installer "${args[@]}")
}
