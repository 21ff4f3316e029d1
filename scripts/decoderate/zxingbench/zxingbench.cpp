// zxingbench times ZXing-C++'s ReadBarcodes in process on 8-bit grey PGM
// frames (topgm writes them from the corpus JPEGs, with the same luma our
// scanner reads), so that its per-frame time compares with Go benchmarks
// and decoderate -repeat without process start in the figure. Not built by
// the test suite. Build (Debian: apt-get install libzxing-dev, 1.4):
//
//	g++ -O2 -std=c++17 -o /tmp/zxingbench scripts/decoderate/zxingbench/zxingbench.cpp -lZXing
//	/tmp/zxingbench 50 /tmp/frames/*.pgm
//
// For each file it prints the best and median of N decodes in ms and the
// texts read (ZXingReader's defaults: try harder, rotate, downscale; QR
// codes only).
#define ZX_USE_UTF8 // text() as UTF-8 std::string (1.4 warns without it)
#include <ZXing/ReadBarcode.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

// readPGM reads a binary (P5) 8-bit PGM.
static bool readPGM(const char* path, std::vector<uint8_t>& pix, int& w, int& h)
{
	std::ifstream in(path, std::ios::binary);
	std::string magic;
	int maxval = 0;
	in >> magic >> w >> h >> maxval;
	if (!in || magic != "P5" || maxval != 255 || w <= 0 || h <= 0)
		return false;
	in.get(); // the one whitespace byte after the header
	pix.resize(size_t(w) * h);
	in.read(reinterpret_cast<char*>(pix.data()), pix.size());
	return bool(in);
}

int main(int argc, char** argv)
{
	if (argc < 3) {
		std::fprintf(stderr, "usage: zxingbench REPEATS FILE.pgm...\n");
		return 2;
	}
	int n = std::max(1, std::atoi(argv[1]));
	ZXing::DecodeHints hints;
	hints.setFormats(ZXing::BarcodeFormat::QRCode);
	for (int i = 2; i < argc; i++) {
		std::vector<uint8_t> pix;
		int w, h;
		if (!readPGM(argv[i], pix, w, h)) {
			std::fprintf(stderr, "%s: not an 8-bit P5 PGM\n", argv[i]);
			return 1;
		}
		ZXing::ImageView view(pix.data(), w, h, ZXing::ImageFormat::Lum);
		std::vector<double> ms;
		ZXing::Results res;
		for (int k = 0; k < n; k++) {
			auto t0 = std::chrono::steady_clock::now();
			res = ZXing::ReadBarcodes(view, hints);
			auto t1 = std::chrono::steady_clock::now();
			ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
		}
		std::sort(ms.begin(), ms.end());
		std::printf("%s\tbest %.2f ms\tmedian %.2f ms\t%zu codes", argv[i], ms[0], ms[ms.size() / 2], res.size());
		for (auto& r : res)
			if (r.isValid())
				std::printf("\t%s", r.text().c_str());
		std::printf("\n");
	}
	return 0;
}
