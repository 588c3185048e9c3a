#!/usr/bin/env python3
"""circuit_search.py - exact synthesis of Life's rule step as vpternlog gates.

The AVX-512 kernel (engine/kernel_avx512.c) turns the row sums h = W + C + E
(two bit-planes, h0 + 2 h1) of the rows above, at and below a cell into its
next state with seven vpternlogq (two full adders, then three gates).  This
script asks a SAT solver whether fewer gates of three inputs, each any
boolean function (what vpternlogq computes), can do it:

  single R            one output from the 7 inputs a0 a1 b0 b1 c0 c1 alive
                      (a, b, c the h of the three rows) in R gates.
  pair K M [ENC]      two vertically adjacent outputs sharing work: K gates
                      over a and b only (the two rows both outputs read),
                      then M gates per output.  Per output: K/2 + M gates.
                      ENC is how h is encoded in two bits: bin (parity,
                      majority; the kernel's), par_ne (parity, "1 or 2"),
                      maj_ne (majority, "1 or 2").

  --two ...           the same searches with gates of two inputs, and only
                      and, or, xor, and-not (a not costs a gate): what the
                      AVX2 and scalar kernels have.  Their B3/S23 spends 14
                      gates a cell after the row sums (taking W + E of the
                      cell's own row, not h).

Each run prints SAT with the circuit (checked on all 128 input rows), UNSAT
(no such circuit exists), or UNKNOWN (time limit).  Needs cadical (Debian
package 'cadical').  Results (doc/kernels.md): single 3 and 4 are UNSAT;
pair K 3 is UNSAT for K <= 5 (every encoding for K = 4); pair 4 4 is SAT
(the circuit in engine/kernel_avx512.c, six gates a cell); pair 3 4 gave
no answer in 45 minutes (TIMEOUT=2700, Zen 4).  With --two:
single 6 is UNSAT; single 7 and 8 gave no answer in 2 minutes, pair 7 10
none in 400 s (on a 2.75 GHz Zen 3).

The encoding is the usual one for exact synthesis: for every gate a choice
of three earlier nodes and an 8-bit truth table, and for every input row the
value of every gate, tied together by clauses; every gate must be used.
"""
import itertools
import os
import subprocess
import sys
import tempfile

N_IN = 7  # a0 a1 b0 b1 c0 c1 alive

ENCODINGS = {
    'bin': lambda n: (n & 1, n >> 1),
    'par_ne': lambda n: (n & 1, 1 if n in (1, 2) else 0),
    'maj_ne': lambda n: (1 if n >= 2 else 0, 1 if n in (1, 2) else 0),
}


def life_table(enc):
    """Truth table over the 7 inputs: next state of the centre cell."""
    dec = {ENCODINGS[enc](v): v for v in range(4)}
    table = []
    for t in range(1 << N_IN):
        b = [(t >> i) & 1 for i in range(N_IN)]
        s = dec[b[0], b[1]] + dec[b[2], b[3]] + dec[b[4], b[5]]  # 9-cell sum
        table.append(1 if s == 3 or (s == 4 and b[6]) else 0)
    return table


def synthesise(table, gates, allowed, timeout, arity=3):
    """A circuit of 'gates' gates of 'arity' inputs computing 'table', gate i
    (counted from N_IN) taking its inputs from allowed(i) only; None if UNSAT,
    the string 'UNKNOWN' on time-out, else [(fanins, truth table)...], out.
    Arity 3: any function (vpternlogq).  Arity 2: the normal functions (0 on
    0, 0) that depend on both inputs - and, or, xor and the two and-nots,
    exactly the AVX2 and scalar operations; a not costs a gate."""
    rows = len(table)
    count = [0]

    def var():
        count[0] += 1
        return count[0]

    total = N_IN + gates
    value = {(i, t): var() for i in range(N_IN, total) for t in range(rows)}
    npat = 1 << arity
    func = {(i, p): var() for i in range(N_IN, total) for p in range(npat)}
    choice = {}
    clauses = []
    for i in range(N_IN, total):
        options = [tr for tr in itertools.combinations(range(i), arity)
                   if all(n in allowed(i) for n in tr)]
        for tr in options:
            choice[i, tr] = var()
        clauses.append([choice[i, tr] for tr in options])
    out = {i: var() for i in range(N_IN, total)}
    clauses.append(list(out.values()))
    if arity == 2:
        for i in range(N_IN, total):
            f = [func[i, p] for p in range(4)]
            clauses.append([-f[0]])                     # normal
            clauses.append([f[1], f[2], f[3]])          # not constant 0
            clauses.append([-f[1], f[2], -f[3]])        # not input 0
            clauses.append([f[1], -f[2], -f[3]])        # not input 1

    for (i, tr), sel in choice.items():
        for t in range(rows):
            for p in range(npat):
                bits = [(p >> j) & 1 for j in range(arity)]
                base = [-sel]
                possible = True
                for node, bit in zip(tr, bits):
                    if node < N_IN:  # an input: a constant in row t
                        if (t >> node) & 1 != bit:
                            possible = False
                            break
                    else:
                        base.append(-value[node, t] if bit else value[node, t])
                if not possible:
                    continue
                # selected, inputs as in p: gate value == func bit p
                clauses.append(base + [-value[i, t], func[i, p]])
                clauses.append(base + [value[i, t], -func[i, p]])
    for i in range(N_IN, total):
        for t in range(rows):
            clauses.append([-out[i], value[i, t] if table[t] else -value[i, t]])
        users = [out[i]] + [sel for (j, tr), sel in choice.items() if i in tr]
        clauses.append(users)

    with tempfile.NamedTemporaryFile('w', suffix='.cnf', delete=False) as fh:
        fh.write('p cnf %d %d\n' % (count[0], len(clauses)))
        for cl in clauses:
            fh.write(' '.join(map(str, cl)) + ' 0\n')
        path = fh.name
    try:
        res = subprocess.run(['cadical', '-q', '-t', str(timeout), path],
                             capture_output=True, text=True, check=False)
    finally:
        os.unlink(path)
    if 's UNSATISFIABLE' in res.stdout:
        return None
    if 's SATISFIABLE' not in res.stdout:
        return 'UNKNOWN'
    true = set()
    for line in res.stdout.splitlines():
        if line.startswith('v'):
            true.update(int(v) for v in line.split()[1:] if int(v) > 0)
    circuit = []
    for i in range(N_IN, total):
        tr = next(tr for (j, tr), sel in choice.items() if j == i and sel in true)
        circuit.append((tr, sum(1 << p for p in range(npat) if func[i, p] in true)))
    return circuit, next(i for i in out if out[i] in true)


def check(table, circuit, out):
    for t, want in enumerate(table):
        v = [(t >> i) & 1 for i in range(N_IN)]
        for tr, f in circuit:
            v.append((f >> sum(v[n] << j for j, n in enumerate(tr))) & 1)
        if v[out] != want:
            return False
    return True


GATE2 = {0x8: 'and', 0xe: 'or', 0x6: 'xor', 0x2: 'andnot1', 0x4: 'andnot0'}


def main(argv):
    timeout = int(os.environ.get('TIMEOUT', '3600'))
    arity = 3
    if argv and argv[0] == '--two':
        arity = 2
        argv = argv[1:]
    if len(argv) == 2 and argv[0] == 'single':
        gates, enc = int(argv[1]), 'bin'
        allowed = lambda i: range(i)
    elif len(argv) in (3, 4) and argv[0] == 'pair':
        k, m = int(argv[1]), int(argv[2])
        enc = argv[3] if len(argv) == 4 else 'bin'
        gates = k + m
        # the first k gates see a and b (inputs 0..3) and each other only
        allowed = lambda i: (set(range(4)) | set(range(N_IN, i))
                             if i < N_IN + k else range(i))
    else:
        sys.stderr.write(__doc__)
        return 2
    if enc not in ENCODINGS:
        sys.stderr.write('circuit_search: unknown encoding %s\n' % enc)
        return 2
    table = life_table(enc)
    res = synthesise(table, gates, allowed, timeout, arity)
    if res is None:
        print('UNSAT: no such circuit')
    elif res == 'UNKNOWN':
        print('UNKNOWN: no answer in %d s (TIMEOUT=...)' % timeout)
    else:
        circuit, out = res
        print('SAT, checked:', check(table, circuit, out))
        for n, (tr, f) in enumerate(circuit):
            if arity == 2:
                print('  g%d = %s(%d, %d)' % (N_IN + n, GATE2[f], tr[0], tr[1]))
            else:
                print('  g%d = tern(%s, 0x%02x)' % (N_IN + n, ', '.join(map(str, tr)), f))
        print('  output g%d' % out)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
