# readme.awk: print one fenced code block of README.md, without its fences:
# the first block of the section headed `section` (its "## " line, whole)
# that holds a line matching the regular expression `pattern`.  Exits 1
# when there is none.  tests/e2e/docs.sh and .ci/newcomer take the
# commands they run from the README this way, so the README cannot say
# one thing while the checks run another.
#   awk -v section='## Quick start' -v pattern='snmptrap' -f readme.awk README.md
/^## / && !inblock { insect = ($0 == section); next }
insect && /^```/ {
	if (!inblock) { inblock = 1; buf = ""; hit = 0; next }
	inblock = 0
	if (hit) { printf "%s", buf; found = 1; exit }
	next
}
inblock { buf = buf $0 "\n"; if ($0 ~ pattern) hit = 1 }
END { exit !found }
