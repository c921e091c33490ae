module podmeta.test/gomapfixtures

go 1.19
