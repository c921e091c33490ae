module podmeta.bench/gomap

go 1.19
