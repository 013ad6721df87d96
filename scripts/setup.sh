#!/usr/bin/env bash
# Sets Qantara up on a Debian machine: the Debian packages the main job uses, then .venv with
# exactly the locked Python packages (requirements/main.txt, see scripts/deps.py).
#
#   bash scripts/setup.sh           the main job
#   bash scripts/setup.sh --test    and the test tools (requirements/test.txt)
#   bash scripts/setup.sh --no-apt  no Debian packages (`qantara doctor` says what each missing one costs)
#
# Debian packages are installed with apt-get as root, else through `sudo -n`; without either,
# the script stops and prints the command to run as root.
set -euo pipefail
cd "$(dirname "$0")/.."

test="" apt=1
for arg in "$@"; do
    case "$arg" in
        --test) test=--test ;;
        --no-apt) apt=0 ;;
        -h | --help) sed -n '2,10s/^# \{0,1\}//p' "$0"; exit 0 ;;
        *) echo "setup.sh: unknown option $arg (see --help)" >&2; exit 2 ;;
    esac
done

# tesseract + its Arabic data: scanned pages; hunspell-ar through enchant: the word-level
# repairs and the wrong-letter text-layer detector; Amiri / Noto Naskh Arabic, Noto Serif and
# DejaVu: the bilingual PDF. Not installed here: LibreOffice Writer (libreoffice-writer-nogui,
# some 300 MB), which only legacy .doc/.rtf inputs need; `qantara doctor` says whether it is found.
debs=(tesseract-ocr tesseract-ocr-ara hunspell-ar libenchant-2-2 fonts-hosny-amiri fonts-noto-core fonts-dejavu-core)
python=$(command -v python3 || true)
# Debian's own python3 makes no virtual environment without python3-venv.
if [ -z "$python" ] || [ "$python" = /usr/bin/python3 ]; then debs+=(python3 python3-venv); fi

if [ "$apt" = 1 ]; then
    if ! command -v dpkg-query >/dev/null 2>&1; then
        echo "setup.sh: not a Debian system; install the equivalents of: ${debs[*]}" >&2
        echo "then run: bash scripts/setup.sh --no-apt" >&2
        exit 1
    fi
    missing=()
    for deb in "${debs[@]}"; do
        [ "$(dpkg-query -W -f='${db:Status-Status}' "$deb" 2>/dev/null)" = installed ] || missing+=("$deb")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        if [ "$(id -u)" = 0 ]; then
            as_root=()
        elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
            as_root=(sudo -n)
        else
            echo "setup.sh: Qantara needs these Debian packages; as root, run:" >&2
            echo "  apt-get update && apt-get install -y --no-install-recommends ${missing[*]}" >&2
            echo "then run bash scripts/setup.sh again (or with --no-apt to go on without them)" >&2
            exit 1
        fi
        echo "setup.sh: installing ${missing[*]}" >&2
        # Waits for another apt instead of failing on its lock.
        apt=(env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 -qq)
        "${as_root[@]}" "${apt[@]}" update
        "${as_root[@]}" "${apt[@]}" install -y --no-install-recommends "${missing[@]}"
    fi
fi

python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' || {
    echo "setup.sh: Qantara needs Python 3.11 or newer; python3 is $(python3 --version 2>&1)" >&2
    exit 1
}
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python scripts/deps.py sync $test
