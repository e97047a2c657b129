#!/usr/bin/env python3
# Generates lib/NfDtls.Crypto/Crypto/P256/P256Field.cs (and, with the argument "order", P256Order.cs: Montgomery arithmetic
# modulo the group order n, the same unrolled product with a reduction specialised to n's limbs): arithmetic modulo the P-256 prime p = 2^256 - 2^224 + 2^192 + 2^96 - 1
# on 8 little-endian 32-bit limbs, written out for an IL interpreter (nanoCLR): every limb in a local, every loop
# unrolled, no call and no array access inside the arithmetic, and the reduction specialised to p (Solinas, FIPS 186-4
# D.2.3). Values are fully reduced (< p) in and out; no branch and no index depends on a value.
#   python3 tools/p256-field/gen.py > lib/NfDtls.Crypto/Crypto/P256/P256Field.cs
#   python3 tools/p256-field/gen.py order > lib/NfDtls.Crypto/Crypto/P256/P256Order.cs
# The tests check the arithmetic through every P-256 operation against OpenSSL and the vectors (P256*Tests).
import random
import sys

P = 2**256 - 2**224 + 2**192 + 2**96 - 1
IND = "            "


def lines(block, indent=IND):
    return "".join(indent + l + "\n" if l else "\n" for l in block)


def load(name, arr, cast="ulong"):
    return ["%s %s%d = %s[%d];" % (cast, name, i, arr, i) for i in range(8)]


def mul_body():
    out = load("a", "a") + load("b", "b")
    out.append("uint t0, t1, t2, t3, t4, t5, t6, t7, t8, t9, t10, t11, t12, t13, t14, t15;")
    out.append("ulong c;")
    # operand scanning: row i adds a * b_i at limb i (c + a_j b_i + t < 2^64 always)
    for i in range(8):
        out.append("// row %d: t += a * b%d << %d" % (i, i, 32 * i))
        for j in range(8):
            k = i + j
            prod = "a%d * b%d" % (j, i)
            if i == 0:
                expr = prod if j == 0 else "c + " + prod
            else:
                expr = ("%s + t%d" % (prod, k)) if j == 0 else ("c + %s + t%d" % (prod, k))
            out.append(assign(expr))
            out.append("t%d = (uint)c;" % k)
            if j < 7:
                out.append("c >>= 32;")
        out.append("t%d = (uint)(c >> 32);" % (i + 8))
    return out


def assign(expr):
    return ("c += %s;" % expr[4:]) if expr.startswith("c + ") else ("c = %s;" % expr)


def sqr_body():
    out = load("a", "a")
    out.append("uint t0, t1, t2, t3, t4, t5, t6, t7, t8, t9, t10, t11, t12, t13, t14, t15;")
    out.append("ulong c;")
    out.append("// the products a_i a_j with i < j, once")
    for i in range(7):
        for j in range(i + 1, 8):
            k = i + j
            prod = "a%d * a%d" % (i, j)
            if i == 0:
                expr = prod if j == 1 else "c + " + prod
            else:
                expr = ("%s + t%d" % (prod, k)) if j == i + 1 else ("c + %s + t%d" % (prod, k))
            out.append(assign(expr))
            out.append("t%d = (uint)c;" % k)
            if j < 7:
                out.append("c >>= 32;")
        out.append("t%d = (uint)(c >> 32);" % (i + 8))
    out.append("// twice that (t1..t14 hold it; the top bit moves into t15)")
    out.append("t15 = t14 >> 31;")
    for k in range(14, 1, -1):
        out.append("t%d = (t%d << 1) | (t%d >> 31);" % (k, k, k - 1))
    out.append("t1 <<= 1;")
    out.append("// plus the squares a_i^2 at limb 2i")
    out.append("c = a0 * a0;")
    out.append("t0 = (uint)c;")
    out.append("c >>= 32;")
    for i in range(8):
        if i > 0:
            out.append("c += a%d * a%d + t%d;" % (i, i, 2 * i))
            out.append("t%d = (uint)c;" % (2 * i))
            out.append("c >>= 32;")
        out.append("c += t%d;" % (2 * i + 1))
        out.append("t%d = (uint)c;" % (2 * i + 1))
        if i < 7:
            out.append("c >>= 32;")
    return out


# Solinas: with the product's limbs c0..c15, r = s1 + 2 s2 + 2 s3 + s4 + s5 - d1 - d2 - d3 - d4 (FIPS 186-4 D.2.3),
# summed limb by limb (signed 64-bit, carries propagated as they come).
SOLINAS = [
    ([0, 8, 9], [11, 12, 13, 14]),
    ([1, 9, 10], [12, 13, 14, 15]),
    ([2, 10, 11], [13, 14, 15]),
    ([3, 11, 11, 12, 12, 13], [15, 8, 9]),
    ([4, 12, 12, 13, 13, 14], [9, 10]),
    ([5, 13, 13, 14, 14, 15], [10, 11]),
    ([6, 13, 14, 14, 14, 15, 15], [8, 9]),
    ([7, 8, 15, 15, 15], [10, 11, 12, 13]),
]


def check_solinas():
    rnd = random.Random(1)
    for _ in range(2000):
        c = [rnd.choice([0, 0xffffffff, rnd.getrandbits(32)]) for _ in range(16)]
        v = sum(x << (32 * i) for i, x in enumerate(c))
        s = sum((sum(c[t] for t in pos) - sum(c[t] for t in neg)) << (32 * i) for i, (pos, neg) in enumerate(SOLINAS))
        assert (s - v) % P == 0


def term_expr(first, pos, neg):
    counts = {}
    for t in pos:
        counts[t] = counts.get(t, 0) + 1
    parts = []
    for t in sorted(counts, key=lambda x: pos.index(x)):
        name = ("(long)t%d" % t) if t == first else ("h%d" % t)
        parts.append(name if counts[t] == 1 else "%d * %s" % (counts[t], name))
    e = " + ".join(parts)
    for t in neg:
        e += " - h%d" % t
    return e


def fold(top):
    # value = low 256 bits + top 2^256, and 2^256 = 2^224 - 2^192 - 2^96 + 1 (mod p)
    out = []
    for i in range(8):
        base = "(long)t%d" % i if i == 0 else "t%d" % i
        if i == 0:
            e = "acc = (long)t0 + %s;" % top
        elif i in (3, 6):
            e = "acc += (long)t%d - %s;" % (i, top)
        elif i == 7:
            e = "acc += (long)t7 + %s;" % top
        else:
            e = "acc += t%d;" % i
        out.append(e)
        out.append("t%d = (uint)acc;" % i)
        out.append("acc >>= 32;")
    return out


def finish(result="r"):
    # t0..t7 and a carry acc in [0, 12) -> fully reduced, stored in result[]
    out = ["// fold the carry back: 2^256 = 2^224 - 2^192 - 2^96 + 1 (mod p); the value is then below 2^256 + 12 2^224,",
           "// so what carries out of 256 bits now is at most 1"]
    out.append("long top = acc;")
    out += fold("top")
    out.append("// value - p (value + 2^256 - p), kept when the fold carried or value >= p (the sum carries): masked")
    out.append("uint carried = (uint)acc;")
    out.append("acc = (long)t0 + 1;")
    out.append("uint s0 = (uint)acc;")
    out.append("acc >>= 32;")
    for i in range(1, 8):
        if i in (3, 6):
            out.append("acc += (long)t%d - 1;" % i)
        elif i == 7:
            out.append("acc += (long)t7 + 1;")
        else:
            out.append("acc += t%d;" % i)
        out.append("uint s%d = (uint)acc;" % i)
        out.append("acc >>= 32;")
    out.append("uint m = 0u - (carried | (uint)acc);")
    for i in range(8):
        out.append("%s[%d] = (s%d & m) | (t%d & ~m);" % (result, i, i, i))
    return out


FIVE_P = {0: -5, 3: 5, 6: 5, 7: -5}


def reduce_body():
    out = ["// Solinas reduction (FIPS 186-4 D.2.3), limb by limb with a signed carry, plus 5p (5 2^256 - 5 2^224 + 5 2^192",
           "// + 5 2^96 - 5) so that the sum, above -4 2^256 + 4 2^224 without it, is never negative: it ends in [0, 12) 2^256"]
    out.append("long h8 = t8, h9 = t9, h10 = t10, h11 = t11, h12 = t12, h13 = t13, h14 = t14, h15 = t15;")
    for i, (pos, neg) in enumerate(SOLINAS):
        e = term_expr(i, pos, neg)
        if i in FIVE_P:
            e += (" + %d" % FIVE_P[i]) if FIVE_P[i] > 0 else (" - %d" % -FIVE_P[i])
        out.append(("long acc = %s;" if i == 0 else "acc += %s;") % e)
        out.append("t%d = (uint)acc;" % i)
        out.append("acc >>= 32;")
    out.append("acc += 5;")
    return out + finish()


P_LIMBS = ["0xffffffffL", "0xffffffffL", "0xffffffffL", None, None, None, "1", "0xffffffffL"]


def add_body():
    out = ["// a + b - p (in [-p, p)), then p added back on a borrow"]
    for i in range(8):
        e = "(long)a[%d] + b[%d]" % (i, i) + ((" - " + P_LIMBS[i]) if P_LIMBS[i] else "")
        out.append(("long acc = %s;" if i == 0 else "acc += %s;") % e)
        out.append("uint t%d = (uint)acc;" % i)
        out.append("acc >>= 32;")
    return out + add_back_p()


def add_back_p():
    out = ["// a borrow (acc = -1) adds p back: p's limbs are ones, ones, ones, 0, 0, 0, 1, ones",
           "uint m = (uint)acc;",
           "ulong c = (ulong)t0 + m;",
           "r[0] = (uint)c;",
           "c >>= 32;"]
    limbs = ["m", "m", "0", "0", "0", "(m & 1)", "m"]
    for i in range(1, 8):
        l = limbs[i - 1]
        out.append(("c += (ulong)t%d + %s;" % (i, l)) if l != "0" else ("c += t%d;" % i))
        out.append("r[%d] = (uint)c;" % i)
        if i < 7:
            out.append("c >>= 32;")
    return out


def sub_body():
    out = ["long acc = (long)a[0] - b[0];", "uint t0 = (uint)acc;", "acc >>= 32;"]
    for i in range(1, 8):
        out += ["acc += (long)a[%d] - b[%d];" % (i, i), "uint t%d = (uint)acc;" % i, "acc >>= 32;"]
    return out + add_back_p()


def mul_small_body():
    out = ["ulong c = (ulong)a[0] * k;", "uint t0 = (uint)c;", "c >>= 32;"]
    for i in range(1, 8):
        out += ["c += (ulong)a[%d] * k;" % i, "uint t%d = (uint)c;" % i, "c >>= 32;"]
    out.append("long acc = (long)c;")
    return out + finish()


N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551
NL = [(N >> (32 * i)) & 0xffffffff for i in range(8)]
NINV = (-pow(N, -1, 1 << 32)) % (1 << 32)
R = 1 << 256


def montgomery_reduce_body():
    # t0..t15 = T < n^2; adds u_i n 2^(32 i) to clear each low limb (u_i = t_i (-n^-1) mod 2^32), then T / 2^256 < 2n
    out = ["// Montgomery reduction (word by word): t += u n 2^(32 i) clears limb i; hi carries out of the top",
           "ulong hi = 0;",
           "ulong u;"]
    for i in range(8):
        out.append("u = (uint)(t%d * 0x%08xu);" % (i, NINV))
        out.append("c = u * 0x%08xu + t%d;" % (NL[0], i))
        out.append("c >>= 32;")
        for j in range(1, 8):
            if NL[j] == 0:
                out.append("c += t%d;" % (i + j))
            else:
                out.append("c += u * 0x%08xu + t%d;" % (NL[j], i + j))
            out.append("t%d = (uint)c;" % (i + j))
            out.append("c >>= 32;")
        out.append("c += t%d + hi;" % (i + 8))
        out.append("t%d = (uint)c;" % (i + 8))
        out.append("hi = c >> 32;")
    out.append("// (t8..t15, hi) < 2n: subtract n when hi is set or no borrow, masked")
    out += subtract_n_select(["t%d" % (i + 8) for i in range(8)], "(uint)hi")
    return out


def subtract_n_select(limbs, extra):
    out = ["long acc = (long)%s - 0x%08xL;" % (limbs[0], NL[0]), "uint s0 = (uint)acc;", "acc >>= 32;"]
    for i in range(1, 8):
        out.append("acc += (long)%s - 0x%08xL;" % (limbs[i], NL[i]))
        out.append("uint s%d = (uint)acc;" % i)
        out.append("acc >>= 32;")
    out.append("uint m = 0u - (%s | (uint)(acc + 1));" % extra)
    for i in range(8):
        out.append("r[%d] = (s%d & m) | (%s & ~m);" % (i, i, limbs[i]))
    return out


def order_add_body():
    out = ["ulong c = (ulong)a[0] + b[0];", "uint t0 = (uint)c;", "c >>= 32;"]
    for i in range(1, 8):
        out += ["c += (ulong)a[%d] + b[%d];" % (i, i), "uint t%d = (uint)c;" % i, "c >>= 32;"]
    out.append("// a + b < 2n: subtract n when the sum carried out or is >= n")
    return out + subtract_n_select(["t%d" % i for i in range(8)], "(uint)c")


def order_reduce_once_body():
    out = ["uint t%d = a[%d];" % (i, i) for i in range(8)]
    return out + subtract_n_select(["t%d" % i for i in range(8)], "0u")


ORDER_HEADER = """// <auto-generated> by tools/p256-field/gen.py order: edit the generator, not this file. </auto-generated>
namespace NfDtls.Crypto.P256
{
    /// <summary>
    /// Arithmetic modulo the P-256 group order n (ECDSA's scalars) on 8 little-endian 32-bit limbs. Multiplication is
    /// Montgomery's (R = 2^256): <see cref="MontMul"/>(a, b) = a b R^-1 mod n, the product and then the word-by-word
    /// reduction unrolled into locals with n's limbs as constants (its zero limb skipped). Inputs &lt; n, outputs &lt; n;
    /// constant-time (the last subtraction of n is masked); the result may be the same array as an input. No separate
    /// squaring: it would save a sixth of an inversion (two per ECDSA operation) for 2.5 KB more byte code.
    /// </summary>
    internal static class P256Order
    {
"""


def order_file():
    out = ORDER_HEADER
    out += method("r = a b R^-1 mod n (Montgomery product).", "internal static void MontMul(uint[] r, uint[] a, uint[] b)",
                  mul_body() + montgomery_reduce_body()) + "\n"
    out += method("r = a + b mod n.", "internal static void Add(uint[] r, uint[] a, uint[] b)", order_add_body()) + "\n"
    out += method("r = a mod n for a &lt; 2n (a digest, or an x coordinate: p &lt; 2n).",
                  "internal static void ReduceOnce(uint[] r, uint[] a)", order_reduce_once_body())
    out += "    }\n}\n"
    return out


check_solinas()

HEADER = """// <auto-generated> by tools/p256-field/gen.py: edit the generator, not this file. </auto-generated>
namespace NfDtls.Crypto.P256
{
    /// <summary>
    /// Arithmetic modulo the P-256 prime p = 2^256 - 2^224 + 2^192 + 2^96 - 1 (FIPS 186-4 D.1.2.3) on 8 little-endian
    /// 32-bit limbs, every value fully reduced (&lt; p) in and out. Written for an IL interpreter: limbs live in locals,
    /// loops are unrolled, no call or field access inside, and the reduction is specialised to p (Solinas, FIPS 186-4
    /// D.2.3: a signed sum of the product's upper limbs, the carry folded back by 2^256 = 2^224 - 2^192 - 2^96 + 1).
    /// Constant-time: no branch and no memory index depends on a value; the last subtraction of p is masked.
    /// The result may be the same array as an input (all inputs are read before anything is written).
    /// </summary>
    internal static partial class P256Field
    {
"""


def method(doc, sig, body):
    return "        /// <summary>%s</summary>\n        %s\n        {\n%s        }\n" % (doc, sig, lines(body))


if len(sys.argv) > 1 and sys.argv[1] == "order":
    sys.stdout.write(order_file())
    sys.exit(0)

out = HEADER
out += method("r = a b mod p.", "internal static void Mul(uint[] r, uint[] a, uint[] b)", mul_body() + reduce_body()) + "\n"
out += method("r = a^2 mod p (the 28 cross products once, doubled, plus the 8 squares).",
              "internal static void Sqr(uint[] r, uint[] a)", sqr_body() + reduce_body()) + "\n"
out += method("r = a + b mod p.", "internal static void Add(uint[] r, uint[] a, uint[] b)", add_body()) + "\n"
out += method("r = a - b mod p.", "internal static void Sub(uint[] r, uint[] a, uint[] b)", sub_body()) + "\n"
out += method("r = k a mod p for a small k (at most 8: the formulas' 2, 3, 4 and 8).",
              "internal static void MulSmall(uint[] r, uint[] a, uint k)", mul_small_body())
out += "    }\n}\n"
sys.stdout.write(out)
