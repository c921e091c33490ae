// gomap: the baseline of podmeta's map-file parser benchmark. It decodes a kubelet
// metadata.annotations file the way Go code in the Kubernetes ecosystem would: split the
// lines, cut at the first '=', strconv.Unquote the value, fill a map[string]string.
//
//	go build -o gomap . && ./gomap -file annotations -iterations 300
//
// Prints one JSON object in the same shape as `PodmetaBenchCore map`.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"runtime"
	"sort"
	"strconv"
	"time"
)

func parse(data []byte) (map[string]string, error) {
	m := make(map[string]string)
	for len(data) > 0 {
		line := data
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, data = data[:i], data[i+1:]
		} else {
			data = nil
		}
		if len(line) == 0 {
			continue
		}
		eq := bytes.IndexByte(line, '=')
		if eq <= 0 {
			return nil, fmt.Errorf("malformed line %q", line)
		}
		value, err := strconv.Unquote(string(line[eq+1:]))
		if err != nil {
			return nil, err
		}
		m[string(line[:eq])] = value
	}
	return m, nil
}

func main() {
	file := flag.String("file", "", "the map file")
	iterations := flag.Int("iterations", 300, "timed parses")
	flag.Parse()
	data, err := os.ReadFile(*file)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	first, err := parse(data)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	valueBytes := 0
	for _, v := range first {
		valueBytes += len(v)
	}
	for i := 0; i < 10; i++ {
		parse(data)
	}
	samples := make([]time.Duration, 0, *iterations)
	sink := 0
	for i := 0; i < *iterations; i++ {
		start := time.Now()
		m, _ := parse(data)
		samples = append(samples, time.Since(start))
		sink += len(m)
	}
	sort.Slice(samples, func(a, b int) bool { return samples[a] < samples[b] })
	rank := func(p float64) time.Duration {
		i := int(float64(len(samples))*p+0.999999) - 1
		if i < 0 {
			i = 0
		}
		if i >= len(samples) {
			i = len(samples) - 1
		}
		return samples[i]
	}
	median := rank(0.5)
	us := func(d time.Duration) float64 { return float64(d.Nanoseconds()) / 1000 }
	fmt.Printf("{\"impl\": \"go\", \"go\": %q, \"bytes\": %d, \"entries\": %d, \"value_bytes\": %d, \"iterations\": %d, "+
		"\"median_us\": %.1f, \"p99_us\": %.1f, \"min_us\": %.1f, \"mb_per_s\": %.0f, \"sink\": %d}\n",
		runtime.Version(), len(data), len(first), valueBytes, *iterations, us(median), us(rank(0.99)), us(samples[0]),
		float64(len(data))/median.Seconds()/1e6, sink)
}
