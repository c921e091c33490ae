// Command podmeta-quantity-oracle runs strings through the upstream Kubernetes
// resource.Quantity parser and prints what upstream makes of them, so that the
// Swift port can be checked row by row against the real thing.
//
// It is podmeta's own code; the upstream package it imports is NOT part of
// podmeta (see README.md next to this file for how it was built and run).
//
//	podmeta-quantity-oracle -generate N -seed S   prints N generated inputs
//	podmeta-quantity-oracle < inputs              prints one TSV row per input line
//
// TSV columns: input, ok|error, String(), Value(), MilliValue(), Format,
// AsDec().String(), and String() recomputed after clearing the string that
// ParseQuantity caches (upstream echoes some inputs verbatim).
package main

import (
	"bufio"
	"flag"
	"fmt"
	"math/rand"
	"os"
	"strings"

	"k8s.io/apimachinery/pkg/api/resource"
)

func main() {
	generate := flag.Int("generate", 0, "print this many generated inputs instead of evaluating stdin")
	seed := flag.Int64("seed", 1, "seed for -generate")
	flag.Parse()

	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()

	if *generate > 0 {
		r := rand.New(rand.NewSource(*seed))
		for i := 0; i < *generate; i++ {
			fmt.Fprintln(out, generateInput(r))
		}
		return
	}

	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<20)
	for in.Scan() {
		line := in.Text()
		if strings.HasPrefix(line, "#") {
			continue // comments in the input lists
		}
		fmt.Fprintln(out, evaluate(line))
	}
	if err := in.Err(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func evaluate(input string) string {
	q, err := resource.ParseQuantity(input)
	if err != nil {
		return strings.Join([]string{input, "error", err.Error(), "", "", "", "", ""}, "\t")
	}
	str := q.String()
	value := q.Value()
	milli := q.MilliValue()
	format := string(q.Format)

	// Clearing the cached string: Neg resets it, twice restores the value.
	recomputed := q.DeepCopy()
	recomputed.Neg()
	recomputed.Neg()
	canonical := recomputed.String()

	// AsDec converts q in place, so it comes last. A value like 1e5000 would
	// print 5000 zeros; anything wider than this is left out of the fixture.
	dec := q.AsDec()
	exact := "<omitted>"
	if dec.Scale() > -20000 && dec.Scale() < 20000 {
		exact = dec.String()
	}
	return strings.Join([]string{
		input, "ok", str, fmt.Sprint(value), fmt.Sprint(milli), format, exact, canonical,
	}, "\t")
}

var (
	decimalSuffixes = []string{"", "", "", "n", "u", "m", "m", "k", "M", "G", "T", "P", "E"}
	binarySuffixes  = []string{"Ki", "Mi", "Mi", "Gi", "Gi", "Ti", "Pi", "Ei"}
	badSuffixes     = []string{
		"K", "KiB", "ki", "mi", "MI", "i", "e", "E+", "e-", "B", "Mb", "x", "ee3", "eM", "e3Ki", "Ki3",
		"M3", "mE", "EE", "Ei+", " ", " Mi", "\u00b5", "e+-3", "e3.5", "k ", "KI", "gi", "1Mi",
	}
	// magnitudes; the sign is written separately
	edgeExponents = []int64{0, 1, 2, 3, 6, 8, 9, 10, 11, 12, 17, 18, 19, 20, 21, 22, 30, 35, 99, 100, 500, 998, 999, 1000, 1001, 1002, 3000, 4000}
)

func digits(r *rand.Rand, n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		b.WriteByte(byte('0' + r.Intn(10)))
	}
	return b.String()
}

// digitRun returns a digit string whose length favours short values but
// reaches past int64 (19 digits) and the 18-digit fast path of upstream.
func digitRun(r *rand.Rand) string {
	switch p := r.Intn(100); {
	case p < 8:
		return ""
	case p < 14:
		return strings.Repeat("0", 1+r.Intn(3))
	case p < 20:
		return strings.Repeat("0", 1+r.Intn(3)) + digits(r, 1+r.Intn(4))
	case p < 70:
		return digits(r, 1+r.Intn(4))
	case p < 80:
		return digits(r, 5+r.Intn(10))
	case p < 90:
		return digits(r, 15+r.Intn(8)) // around the 18/19 digit boundaries
	case p < 95:
		return "9223372036854775" + digits(r, 3)
	default:
		return digits(r, 23+r.Intn(30))
	}
}

func generateInput(r *rand.Rand) string {
	var b strings.Builder
	switch p := r.Intn(100); {
	case p < 70:
	case p < 85:
		b.WriteString("-")
	case p < 97:
		b.WriteString("+")
	case p < 98:
		b.WriteString("--")
	default:
		b.WriteString("+-")
	}

	integer := digitRun(r)
	b.WriteString(integer)
	switch p := r.Intn(100); {
	case p < 55:
	case p < 62:
		b.WriteString(".")
	case p < 95:
		b.WriteString(".")
		frac := digitRun(r)
		if r.Intn(5) == 0 {
			frac += strings.Repeat("0", 1+r.Intn(4))
		}
		b.WriteString(frac)
	case p < 98:
		b.WriteString("." + digits(r, 1+r.Intn(3)) + ".")
	default:
		b.WriteString(".." + digits(r, 1))
	}

	switch p := r.Intn(100); {
	case p < 45:
		b.WriteString(decimalSuffixes[r.Intn(len(decimalSuffixes))])
	case p < 70:
		b.WriteString(binarySuffixes[r.Intn(len(binarySuffixes))])
	case p < 92:
		b.WriteString([]string{"e", "E"}[r.Intn(2)])
		switch q := r.Intn(10); {
		case q < 2:
			b.WriteString("+")
		case q < 5:
			b.WriteString("-")
		}
		var e int64
		switch q := r.Intn(10); {
		case q < 6:
			e = int64(r.Intn(25))
		case q < 8:
			e = edgeExponents[r.Intn(len(edgeExponents))]
		default:
			e = int64(r.Intn(1100))
		}
		if r.Intn(15) == 0 {
			b.WriteString("00")
		}
		fmt.Fprint(&b, e)
	default:
		b.WriteString(badSuffixes[r.Intn(len(badSuffixes))])
	}
	s := b.String()

	// A few near misses: a character swapped for something else.
	if len(s) > 0 && r.Intn(40) == 0 {
		i := r.Intn(len(s))
		repl := []string{" ", ".", "_", "x", "-", "+", "e", "i", "K", ","}[r.Intn(10)]
		s = s[:i] + repl + s[i+1:]
	}
	return s
}
