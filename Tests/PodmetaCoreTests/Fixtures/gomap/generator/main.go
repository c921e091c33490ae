// Command generator writes the Go-made test corpus of podmeta's Go string literal decoder
// (Tests/PodmetaCoreTests/Fixtures/gomap). Run it from the gomap directory:
//
//	go run ./generator
//
// It writes, into the current directory:
//
//   - NAME.map: a map written exactly like the kubelet's fieldpath.FormatMap
//     (the metadata.labels / metadata.annotations downward API files);
//   - NAME.expected: every key and value of that map as hex of the raw bytes;
//   - MANIFEST: the NAME of every map, and the Go version that wrote them;
//   - isprint.ranges: the runes unicode.IsPrint / unicode.IsGraphic accept;
//   - unquote.vectors: literals and what strconv.Unquote makes of them.
//
// Only the standard library is used, and the output is deterministic.
package main

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"log"
	"os"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"unicode"
)

// formatMap has the logic of kubernetes/kubernetes pkg/fieldpath.FormatMap: keys sorted
// bytewise, one key=%q line per entry, lines joined by "\n", no trailing newline.
func formatMap(m map[string]string) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var dst []byte
	for _, key := range keys {
		if len(dst) > 0 {
			dst = append(dst, '\n')
		}
		dst = append(dst, key...)
		dst = append(dst, '=')
		dst = strconv.AppendQuote(dst, m[key])
	}
	return string(dst)
}

// expected lists the entries as hex, one "KEYHEX=VALUEHEX" line each, in key order, after
// a "# N entries" line, so that invalid UTF-8 survives exactly.
func expected(m map[string]string) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	fmt.Fprintf(&b, "# %d entries\n", len(m))
	for _, k := range keys {
		fmt.Fprintf(&b, "%s=%s\n", hex.EncodeToString([]byte(k)), hex.EncodeToString([]byte(m[k])))
	}
	return b.String()
}

func runes(lo, hi rune) string {
	var b strings.Builder
	for r := lo; r <= hi; r++ {
		b.WriteRune(r)
	}
	return b.String()
}

// sized repeats pattern and cuts it at exactly n bytes, backing off to a rune boundary.
func sized(pattern string, n int) string {
	s := strings.Repeat(pattern, n/len(pattern)+1)[:n]
	for len(s) > 0 && !utf8Valid(s) {
		s = s[:len(s)-1]
	}
	return s + strings.Repeat("x", n-len(s))
}

func utf8Valid(s string) bool { return strings.ToValidUTF8(s, "\uFFFD") == s }

func maps() map[string]map[string]string {
	controls := map[string]string{}
	for c := 0; c < 0x20; c++ {
		controls[fmt.Sprintf("example.com/c%02x", c)] = fmt.Sprintf("<%c>", rune(c))
	}
	controls["example.com/c7f"] = "<\x7f>"
	controls["example.com/all"] = runes(0, 0x1f) + "\x7f"
	controls["example.com/nul"] = "\x00"
	controls["example.com/nuls"] = "a\x00b\x00\x00c"
	controls["example.com/shorts"] = "\a\b\f\n\r\t\v"
	controls["example.com/crlf"] = "line 1\r\nline 2\r\n"

	c1 := map[string]string{"example.com/c1-all": runes(0x80, 0x9f)}
	for r := rune(0x80); r <= 0x9f; r++ {
		c1[fmt.Sprintf("example.com/u%04x", r)] = string(r)
	}

	allBytes := make([]byte, 256)
	for i := range allBytes {
		allBytes[i] = byte(i)
	}
	invalid := map[string]string{
		"example.com/all-bytes":       string(allBytes),
		"example.com/ff":              "\xff",
		"example.com/fe-ff":           "\xfe\xff",
		"example.com/lone-cont":       "a\x80b",
		"example.com/overlong-nul":    "\xc0\x80",
		"example.com/overlong-slash":  "\xc1\xaf\xe0\x80\xaf",
		"example.com/surrogate-hi":    "\xed\xa0\x80",
		"example.com/surrogate-lo":    "\xed\xbf\xbf",
		"example.com/cesu8-pair":      "\xed\xa0\xbd\xed\xb8\x80",
		"example.com/above-max":       "\xf4\x90\x80\x80",
		"example.com/f5":              "\xf5\x80\x80\x80",
		"example.com/truncated-3":     "\xe2\x82",
		"example.com/truncated-3-mid": "\xe2\x82A",
		"example.com/truncated-emoji": "\xf0\x9f\x98",
		"example.com/mixed":           "ok \xff é \xe2\x82 € \xef\xbf\xbd end",
		"example.com/latin1":          "caf\xe9",
	}
	for b := 0x80; b <= 0xff; b++ {
		invalid[fmt.Sprintf("example.com/b%02x", b)] = string([]byte{'<', byte(b), '>'})
	}

	bigPattern := "lorem ipsum \"quoted\" \\ back\tslash é ü 日本 😀 \u00a0nbsp \u200b zwsp\n"
	large := map[string]string{
		"example.com/big-mixed": sized(bigPattern, 64*1024),
		"example.com/small":     "after the big ones",
	}

	return map[string]map[string]string{
		"empty": {},
		"labels": {
			"app":                                "web",
			"app.kubernetes.io/name":             "shop",
			"app.kubernetes.io/version":          "1.2.3",
			"pod-template-hash":                  "7d4b9c8f6d",
			"statefulset.kubernetes.io/pod-name": "web-0",
			"topology.kubernetes.io/zone":        "europe-west1-b",
			"tier":                               "frontend",
			"canary":                             "",
			"release_channel":                    "stable.v2",
		},
		"annotations-kubelet": {
			"kubernetes.io/config.seen":   "2026-11-22T01:02:03.123456789Z",
			"kubernetes.io/config.source": "api",
			"kubernetes.io/config.hash":   "3f9a8c1e2b7d4f6a",
			"prometheus.io/scrape":        "true",
			"prometheus.io/port":          "9090",
			"kubectl.kubernetes.io/last-applied-configuration": "{\"apiVersion\":\"v1\",\"kind\":\"Pod\"," +
				"\"metadata\":{\"annotations\":{\"note\":\"multi\\nline\"},\"name\":\"web-0\"}}\n",
			"example.com/note": "multi\nline\nnote",
		},
		"controls": controls,
		"quotes-backslashes": {
			"example.com/dquote":     "\"",
			"example.com/dquotes":    "say \"hi\" and \"\"",
			"example.com/backslash":  "\\",
			"example.com/escaped-q":  "\\\"",
			"example.com/literal-n":  "\\n is not a newline",
			"example.com/squote":     "it's",
			"example.com/backquote":  "`cmd`",
			"example.com/winpath":    "C:\\Program Files\\app\\",
			"example.com/regex":      "^\\d+(\\.\\d+)*$",
			"example.com/json":       "{\"a\":[1,\"b\\\\c\"],\"d\":null}",
			"example.com/go-literal": "\"\\x41\\u00e9\"",
			"example.com/trailing":   "ends with a backslash\\",
		},
		"unicode-invisible": {
			"example.com/u2028-line-sep": "a\u2028b",
			"example.com/u2029-para-sep": "a\u2029b",
			"example.com/nbsp":           "a\u00a0b",
			"example.com/soft-hyphen":    "hy\u00adphen",
			"example.com/zwsp":           "zero\u200bwidth",
			"example.com/zwnj-zwj":       "\u200c\u200d",
			"example.com/bom":            "\ufeffbom",
			"example.com/word-joiner":    "\u2060",
			"example.com/alm-rlm-lrm":    "\u061c\u200f\u200e",
			"example.com/spaces":         "\u1680\u2000\u2001\u2002\u2003\u2009\u200a\u202f\u205f\u3000",
			"example.com/replacement":    "\ufffd",
			"example.com/nonchars":       "\ufdd0\ufffe\uffff\U0001fffe\U0010ffff",
			"example.com/interlinear":    "\ufff9\ufffa\ufffb",
			"example.com/tags":           "\U000e0001\U000e0041\U000e007f",
		},
		"c1-controls": c1,
		"emoji": {
			"example.com/grinning":  "😀",
			"example.com/skin-tone": "👍🏽",
			"example.com/family":    "👨\u200d👩\u200d👧\u200d👦",
			"example.com/rainbow":   "🏳\ufe0f\u200d🌈",
			"example.com/heart-vs":  "❤\ufe0f",
			"example.com/keycap":    "1\ufe0f\u20e3",
			"example.com/flag":      "🇫🇷🇯🇵",
			"example.com/unicode14": "\U0001f979", // face holding back tears: not in Unicode 13
			"example.com/unicode15": "\U0001fae8", // shaking face: not in Unicode 13
			"example.com/mixed":     "deploy ✅ done 🚀",
		},
		"combining-cjk": {
			"example.com/e-acute-nfc": "caf\u00e9",
			"example.com/e-acute-nfd": "cafe\u0301",
			"example.com/zalgo":       "Z\u0351\u0368\u034a\u035aa\u0336\u0317l\u0334\u0353g\u0338\u0324o\u0335",
			"example.com/japanese":    "日本語のテキスト",
			"example.com/chinese":     "中文注释，全角标点。",
			"example.com/korean":      "한국어 각",
			"example.com/arabic":      "مرحبا بالعالم",
			"example.com/hebrew":      "שלום עולם",
			"example.com/devanagari":  "नमस्ते",
			"example.com/thai":        "สวัสดี",
			"example.com/cjk-ext-b":   "\U00020000\U0002a6dd",
			"example.com/cjk-ext-g":   "\U00030000", // added in Unicode 13
			"example.com/cjk-ext-h":   "\U00031350", // added in Unicode 15
			"example.com/math":        "∀x∈ℝ: x² ≥ 0 𝔸𝕓",
		},
		"private-unassigned": {
			"example.com/pua-bmp":     "\ue000\uf8ff",
			"example.com/pua-plane15": "\U000f0000\U000ffffd",
			"example.com/pua-plane16": "\U00100000\U0010fffd",
			"example.com/u0378":       "\u0378\u0379",
			"example.com/u0530":       "\u0530",
			"example.com/plane2-gap":  "\U0002fffd",
			"example.com/plane3-tail": "\U0003fffd",
			"example.com/plane14-gap": "\U000e0080",
			"example.com/plane4":      "\U00040000",
			"example.com/highest":     "\U0010ffff",
			"example.com/mixed":       "ok\ue000ok\U000f0000ok\u0378ok",
		},
		"invalid-utf8": invalid,
		"large":        large,
		"equals-empty": {
			"example.com/empty":         "",
			"example.com/equals":        "=",
			"example.com/equals2":       "==",
			"example.com/abc":           "a=b=c",
			"example.com/kv":            "key=\"value\"",
			"example.com/space":         " ",
			"example.com/padded":        "  padded  ",
			"example.com/query":         "https://example.com/?a=1&b=2#frag",
			"example.com/base64":        "aGVsbG8gd29ybGQ=",
			"example.com/looks-like-eq": "\"=\"",
		},
		"nonascii-keys": {
			"ключ":              "значение",
			"鍵":                 "値",
			"café":              "crème",
			"example.com/ascii": "plain",
		},
		"bmp-sweep": {
			"sweep/0080-07ff": runes(0x80, 0x7ff),
			"sweep/0800-17ff": runes(0x800, 0x17ff),
			"sweep/1800-2fff": runes(0x1800, 0x2fff),
			"sweep/d7f0-d7ff": runes(0xd7f0, 0xd7ff),
			"sweep/e000-e00f": runes(0xe000, 0xe00f),
			"sweep/f900-ffff": runes(0xf900, 0xfffd) + "\ufffe\uffff",
		},
	}
}

// isprintRanges lists, as "print LO HI" and "graphic LO HI" lines (hex), the maximal ranges
// of runes that unicode.IsPrint and unicode.IsGraphic accept, after checking that strconv
// agrees with them.
func isprintRanges() string {
	var b strings.Builder
	fmt.Fprintf(&b, "# unicode.IsPrint / unicode.IsGraphic of %s (Unicode %s), maximal ranges, hex\n",
		runtime.Version(), unicode.Version)
	for _, kind := range []string{"print", "graphic"} {
		is := unicode.IsPrint
		conv := strconv.IsPrint
		if kind == "graphic" {
			is, conv = unicode.IsGraphic, strconv.IsGraphic
		}
		lo := rune(-1)
		for r := rune(0); r <= unicode.MaxRune+1; r++ {
			in := r <= unicode.MaxRune && is(r)
			if r <= unicode.MaxRune && in != conv(r) {
				log.Fatalf("strconv and unicode disagree on %U (%s)", r, kind)
			}
			if in && lo < 0 {
				lo = r
			}
			if !in && lo >= 0 {
				fmt.Fprintf(&b, "%s %x %x\n", kind, lo, r-1)
				lo = -1
			}
		}
	}
	return b.String()
}

// splitMix64 is a tiny deterministic generator, so the vectors never depend on math/rand.
type splitMix64 struct{ state uint64 }

func (s *splitMix64) next() uint64 {
	s.state += 0x9e3779b97f4a7c15
	z := s.state
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

func (s *splitMix64) below(n int) int { return int(s.next() % uint64(n)) }

// unquoteVectors lists hand-picked and random literals with what strconv.Unquote returns:
// "in=HEX out=HEX" or "in=HEX err".
func unquoteVectors() string {
	cases := []string{
		``, `"`, `""`, `"a"`, `"\"`, `"\\"`, `"\""`, `"\'"`, `"'"`, `'a'`, "`a`",
		`"\a\b\f\n\r\t\v"`, `"\e"`, `"\z"`, `"\0"`, `"\00"`, `"\000"`, `"\007"`, `"\08"`,
		`"\377"`, `"\400"`, `"\777"`, `"\8"`, `"\9"`, `"\x"`, `"\x4"`, `"\x41"`, `"\xAb"`,
		`"\xG0"`, `"\xff\xfe"`, `"\u"`, `"\u12"`, `"\u00e9"`, `"\u00E9"`, `"\uD800"`,
		`"\udfff"`, `"\ud7ff"`, `"\ue000"`, `"\U"`, `"\U0010FFFF"`, `"\U00110000"`,
		`"\UFFFFFFFF"`, `"\U0001F600"`, `"\U0000d800"`, "\"\n\"", "\"\r\"", "\"\t\"",
		"\"\x00\"", "\"\xff\"", "\"a\xe2\x82\"", "\"\xed\xa0\x80\"", "\"\xef\xbf\xbd\"",
		`"a"b"`, `"abc" `, `"abc"x`, `"abc""`, `"\`, `"\\`, `"\\\"`, `x"a"`, ` "a"`,
		`"a\"b"`, `"\"\""`, "\"\\\n\"", `"\ "`, "\"\\\xc3\xa9\"",
	}
	alphabet := []string{
		`\`, `\`, `\`, `\`, `"`, `"`, `'`, "`", "x", "u", "U", "0", "1", "3", "7", "8",
		"9", "a", "b", "f", "n", "t", "e", "A", "F", "D", "z", " ", "\n", "\r", "\x00",
		"\x7f", "é", "€", "😀", "\u2028", "\xff", "\x80", "\xc3", "\xe2\x82", "\xf0\x9f",
		"\xed\xa0\x80",
	}
	rng := splitMix64{state: 0x600d5eed}
	for i := 0; i < 3000; i++ {
		var b strings.Builder
		n := rng.below(12)
		for j := 0; j < n; j++ {
			b.WriteString(alphabet[rng.below(len(alphabet))])
		}
		body := b.String()
		switch rng.below(10) {
		case 0:
			cases = append(cases, body)
		case 1:
			cases = append(cases, `"`+body)
		default:
			cases = append(cases, `"`+body+`"`)
		}
	}
	var out strings.Builder
	fmt.Fprintf(&out, "# strconv.Unquote of %s: in=HEX then out=HEX or err\n", runtime.Version())
	for _, c := range cases {
		if s, err := strconv.Unquote(c); err != nil {
			fmt.Fprintf(&out, "in=%s err\n", hex.EncodeToString([]byte(c)))
		} else {
			fmt.Fprintf(&out, "in=%s out=%s\n", hex.EncodeToString([]byte(c)), hex.EncodeToString([]byte(s)))
		}
	}
	return out.String()
}

func write(name, content string) {
	if err := os.WriteFile(name, []byte(content), 0o644); err != nil {
		log.Fatal(err)
	}
}

func main() {
	all := maps()
	names := make([]string, 0, len(all))
	for name := range all {
		names = append(names, name)
	}
	sort.Strings(names)
	var manifest bytes.Buffer
	fmt.Fprintf(&manifest, "# maps written by %s (Unicode %s): NAME.map and NAME.expected\n",
		runtime.Version(), unicode.Version)
	for _, name := range names {
		m := all[name]
		for k := range m {
			if k == "" || strings.ContainsAny(k, "=\n") {
				log.Fatalf("%s: key %q cannot be told apart from its value", name, k)
			}
		}
		write(name+".map", formatMap(m))
		write(name+".expected", expected(m))
		fmt.Fprintln(&manifest, name)
	}
	write("MANIFEST", manifest.String())
	write("isprint.ranges", isprintRanges())
	write("unquote.vectors", unquoteVectors())
}
