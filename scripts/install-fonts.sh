#!/usr/bin/env bash
# Install the open faces of qingdan's font profile where they are missing (Debian, Ubuntu):
# they print in place of 仿宋_GB2312, 方正小标宋简体, 黑体, 楷体_GB2312 and 宋体 where those
# licensed faces are not installed (src/qingdan/office/fonts.py says which face stands in
# for which).
#   bash scripts/install-fonts.sh
# - Noto Sans/Serif CJK (fonts-noto-cjk) and AR PL UKai CN (fonts-arphic-ukai) from Debian;
# - the Fandol faces (FandolFang, FandolSong, FandolHei, FandolKai; GPL with the font
#   exception) are taken from Debian's texlive-lang-chinese package without installing it
#   (it would bring about 400 MB of TeX Live): the package is downloaded, only the Fandol
#   font files are extracted, into /usr/local/share/fonts/fandol (as root) or
#   ~/.local/share/fonts/fandol.
# Licensed faces (仿宋_GB2312 and the others) are never downloaded: install them as the
# README says, and they win over these.
set -euo pipefail

have() { fc-list "$1" family 2>/dev/null | grep -q .; }
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"

missing=()
command -v fc-list >/dev/null 2>&1 || missing+=(fontconfig)
have "Noto Serif CJK SC" || missing+=(fonts-noto-cjk)
have "AR PL UKai CN" || missing+=(fonts-arphic-ukai)
if ((${#missing[@]})); then
  echo "installing: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if [ "$(id -u)" -eq 0 ]; then
  target=/usr/local/share/fonts/fandol conf=/etc/fonts/conf.d
else
  target="${XDG_DATA_HOME:-$HOME/.local/share}/fonts/fandol"
  conf="${XDG_CONFIG_HOME:-$HOME/.config}/fontconfig/conf.d"
fi
if ! have FandolFang; then
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  echo "extracting the Fandol faces from texlive-lang-chinese into $target"
  (cd "$work" && apt-get download -qq texlive-lang-chinese 2>/dev/null \
     || { $sudo apt-get update -qq && apt-get download -qq texlive-lang-chinese; })
  dpkg-deb --fsys-tarfile "$work"/texlive-lang-chinese_*.deb \
    | tar -x -C "$work" --wildcards '*/fonts/opentype/public/fandol/Fandol[FSHK]*.otf' \
        '*/doc/texlive-doc/fonts/fandol/*'
  mkdir -p "$target"
  find "$work" -name 'Fandol*.otf' -exec cp {} "$target"/ \;
  find "$work" -path '*/doc/texlive-doc/fonts/fandol/*' -type f -exec cp {} "$target"/ \;
fi
# FandolSong-Bold and FandolHei-Bold say they are of regular weight (usWeightClass 400), so
# LibreOffice would embolden the regular face instead of using them. Correct that as
# fontconfig scans them (the rule applies when the cache is made, hence fc-cache -f).
rule="$conf/64-qingdan-fandol-weight.conf"
if [ -d "$target" ] && [ ! -e "$rule" ]; then
  mkdir -p "$conf"
  cat > "$rule" <<'XML'
<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<!-- Installed by qingdan's scripts/install-fonts.sh: the Fandol bold faces are bold. -->
<fontconfig>
  <match target="scan">
    <test name="family"><string>FandolSong</string></test>
    <test name="style"><string>Bold</string></test>
    <edit name="weight" mode="assign"><const>bold</const></edit>
  </match>
  <match target="scan">
    <test name="family"><string>FandolHei</string></test>
    <test name="style"><string>Bold</string></test>
    <edit name="weight" mode="assign"><const>bold</const></edit>
  </match>
</fontconfig>
XML
  fc-cache -f "$target" >/dev/null
fi
echo "fonts: $(fc-list : family | grep -cE 'Fandol|UKai CN|Noto S[ae][nr][si]f? CJK SC') open faces of the profile installed"
