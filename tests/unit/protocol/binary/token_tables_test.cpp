// The committed C++ token tables must equal shared/protocol/data/tokens_v{2,3}.json (the source
// of truth; regenerate with scripts/gen_tokens.py), and the lookup must find every token.
#include <filesystem>
#include <fstream>
#include <sstream>

#include "codec_test_util.h"
#include "core/protocol/binary/tokens.h"

namespace chorus::core::binary {
namespace {

// Just enough JSON for {"single": [strings], "double": [[strings] x4]}.
class MiniJson {
 public:
  explicit MiniJson(std::string text) : s_(std::move(text)) {}

  // The array of strings (or of arrays of strings, flattened) after "key":.
  std::vector<std::string> strings(const std::string& key) {
    pos_ = s_.find("\"" + key + "\"");
    std::vector<std::string> out;
    if (pos_ == std::string::npos) return out;
    pos_ = s_.find('[', pos_);
    int depth = 0;
    for (; pos_ < s_.size(); ++pos_) {
      const char c = s_[pos_];
      if (c == '[') ++depth;
      if (c == ']' && --depth == 0) break;
      if (c == '"') out.push_back(readString());
    }
    return out;
  }

 private:
  std::string readString() {
    std::string out;
    for (++pos_; pos_ < s_.size() && s_[pos_] != '"'; ++pos_) {
      if (s_[pos_] != '\\') {
        out += s_[pos_];
        continue;
      }
      const char e = s_[++pos_];
      if (e == 'u') {  // tokens are ASCII; \u00XX is all this needs
        out += static_cast<char>(std::stoi(s_.substr(pos_ + 1, 4), nullptr, 16));
        pos_ += 4;
      } else {
        out += e == 'n' ? '\n' : e == 't' ? '\t' : e;
      }
    }
    return out;
  }
  std::string s_;
  std::size_t pos_ = 0;
};

void compareWithJson(const TokenTable& table, const char* file) {
  const std::filesystem::path path =
      std::filesystem::path(CHORUS_SOURCE_DIR) / ".." / "shared" / "protocol" / "data" / file;
  if (!std::filesystem::exists(path)) GTEST_SKIP() << path << " not present";
  std::ifstream in(path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  MiniJson json(buffer.str());
  const auto single = json.strings("single");
  const auto dbl = json.strings("double");
  ASSERT_EQ(single.size(), kSingleByteTokenCount);
  ASSERT_EQ(dbl.size(), kDoubleByteDictCount * kDoubleByteDictSize);
  for (std::size_t i = 0; i < single.size(); ++i) EXPECT_EQ(table.single[i], single[i]) << i;
  for (std::size_t i = 0; i < dbl.size(); ++i) {
    EXPECT_EQ(table.dictionaries[i / kDoubleByteDictSize][i % kDoubleByteDictSize], dbl[i]) << i;
  }
}

TEST(TokenTables, V2EqualsJson) {
  compareWithJson(kTokensV2, "tokens_v2.json");
}
TEST(TokenTables, V3EqualsJson) {
  compareWithJson(kTokensV3, "tokens_v3.json");
}

TEST(TokenTables, KnownEntries) {
  EXPECT_EQ(kTokensV2.single[3], "s.whatsapp.net");
  EXPECT_EQ(kTokensV2.single[9], "broadcast");
  EXPECT_EQ(kTokensV3.single[9], "notification");
  EXPECT_EQ(kTokensV2.dictionaries[0][7], "reason");
}

TEST(TokenTables, LookupFindsEveryTokenWhereItIs) {
  for (DictVersion dict : {DictVersion::V2, DictVersion::V3}) {
    const TokenTable& t = tokenTable(dict);
    TokenCode code;
    for (std::size_t i = 1; i < kSingleByteTokenCount; ++i) {
      ASSERT_TRUE(findToken(dict, t.single[i], code)) << t.single[i];
      EXPECT_FALSE(code.isDouble);
      EXPECT_EQ(code.index, i);
    }
    for (std::size_t d = 0; d < kDoubleByteDictCount; ++d) {
      for (std::size_t i = 0; i < kDoubleByteDictSize; ++i) {
        ASSERT_TRUE(findToken(dict, t.dictionaries[d][i], code)) << t.dictionaries[d][i];
        EXPECT_TRUE(code.isDouble);
        EXPECT_EQ(code.dict, d);
        EXPECT_EQ(code.index, i);
      }
    }
    EXPECT_FALSE(findToken(dict, "", code));
    EXPECT_FALSE(findToken(dict, "remove-companion-device", code));
    EXPECT_FALSE(findToken(dict, "s.whatsapp.ne", code));
    EXPECT_FALSE(findToken(dict, std::string(1000, 'a'), code));
  }
  TokenCode code;
  EXPECT_FALSE(findToken(DictVersion::V2, "pair-device", code));  // §4.3: only a v3 token
  EXPECT_TRUE(findToken(DictVersion::V3, "pair-device", code));
}

}  // namespace
}  // namespace chorus::core::binary
