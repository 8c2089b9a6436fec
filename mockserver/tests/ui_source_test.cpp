// The dashboard's scripts (mockserver/ui/*.js) put every value into the page as text: this test
// fails when one uses an API that parses a string as markup, where a hostile request body could
// become live HTML.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

const char* const kMarkupSinks[] = {
    "innerHTML", "outerHTML",   "insertAdjacentHTML", "document.write", "createContextualFragment",
    "eval(",     "new Function"};

std::vector<fs::path> scripts() {
    std::vector<fs::path> out;
    for (const auto& file : fs::directory_iterator(MATRIX_UI_DIR)) {
        if (file.path().extension() == ".js") out.push_back(file.path());
    }
    return out;
}

std::string read(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

TEST(DashboardScripts, ThereAreScriptsToCheck) { EXPECT_GE(scripts().size(), 2u); }

TEST(DashboardScripts, NoneParsesAStringAsMarkup) {
    for (const fs::path& script : scripts()) {
        const std::string text = read(script);
        std::istringstream lines(text);
        std::string line;
        for (int number = 1; std::getline(lines, line); ++number) {
            for (const char* sink : kMarkupSinks) {
                EXPECT_EQ(line.find(sink), std::string::npos)
                    << script.filename().string() << ":" << number << " uses " << sink << ": "
                    << line;
            }
        }
    }
}

TEST(DashboardScripts, ThePageHasNoInlineScriptOrHandler) {
    const std::string page = read(fs::path(MATRIX_UI_DIR) / "index.html");
    for (const char* inline_code : {"<script>", "onclick=", "onload=", "onerror=", "javascript:"})
        EXPECT_EQ(page.find(inline_code), std::string::npos) << inline_code;
}

}  // namespace
