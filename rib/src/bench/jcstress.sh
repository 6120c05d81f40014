#!/usr/bin/env bash
# Runs the RIB's jcstress tests (rib/src/test/java/io/ribbit/rib/*Stress.java) in full: every JVM
# flag configuration jcstress detects, split compilation, default mode (tens of minutes on 2 cores).
# The build runs a bounded subset in verify (see rib/pom.xml). Extra arguments go to jcstress, e.g.
#   rib/src/bench/jcstress.sh -m stress -t TableStress.RemovalShift
# Exit status is non-zero if any outcome was FORBIDDEN, a test erred, or a test did not run.
# The HTML report lands in rib/target/jcstress-full/results/index.html.
set -euo pipefail
cd "$(dirname "$0")/../../.."
./mvnw -q -o -pl codec,rib -DskipTests test-compile dependency:build-classpath \
  -Dmdep.outputFile="$PWD/rib/target/bench.classpath" -Dmdep.includeScope=test >/dev/null
CP="$PWD/rib/target/test-classes:$PWD/rib/target/classes:$(cat rib/target/bench.classpath)"
mkdir -p rib/target/jcstress-full
cd rib/target/jcstress-full
# jcstress takes each option once: the defaults below only where the arguments do not set them.
DEFAULTS=()
[[ " $* " == *" -m "* ]] || DEFAULTS+=(-m default)
[[ " $* " == *" -t "* ]] || DEFAULTS+=(-t 'io.ribbit.rib.')
exec java -cp "$CP" io.ribbit.rib.StressRunner "${DEFAULTS[@]}" -r results "$@"
