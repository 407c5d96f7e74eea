// Webster's 1913 (GCIDE, Debian package dict-gcide): entries split into sense paragraphs, cleaned of
// markup, with the subject tags ("Zool.", "Law", ...) that open a definition pulled out as labels.
#pragma once
#include <string>
#include <vector>

namespace pw::data {

inline const char* kGcideDict = "/usr/share/dictd/gcide.dict.dz";
inline const char* kGcideIndex = "/usr/share/dictd/gcide.index";

struct GcideParagraph {
  std::string headword;           // from the "Robin \Rob"in\, n." header opening its block; "" if none
  bool opensBlock = false;        // the header paragraph itself (it holds the first sense)
  std::string partOfSpeech;       // the header's part of speech ("n.", "a.", "v. t." as "v."); "" if none
  std::string text;               // clean text; for a tagged paragraph, the definition after the tag
  std::vector<std::string> tags;  // subject tags opening a definition, e.g. "Zool.", "Law" (no parens)
  bool webster = false;           // source marker names Webster (1913 or supplement) or Century
  bool wordnet = false;           // source marker names WordNet (GCIDE also carries WordNet 1.5 text)
  bool synonyms = false;          // a "Syn:" list, not prose
};

// All paragraphs of the dictionary, in file order. Throws pw::Error (naming dict-gcide) if missing.
std::vector<GcideParagraph> readGcide(const std::string& dictPath = kGcideDict,
                                      const std::string& indexPath = kGcideIndex);

// GCIDE markup helpers, exposed for tests.
std::string gcideConvertEntities(const std::string& s);  // "[ae]" -> "ae", "['e]" -> "e", "[deg]" -> "°"
bool isSubjectTag(const std::string& parenContent);     // "Zool.", "Law", "Gr. Antiq." -> true
std::string gcideCleanBody(const std::string& s);       // drops brackets, tags, citations, braces
// GCIDE writes "?" for characters it could not encode ("C?H?.(CO?H)?", "thus?,"): true for such text.
bool gcideLostCharacters(const std::string& text);
// A block's header paragraph: the headword before the first pronunciation ("Robin" in "Robin \Rob"in\,
// n. [...]"; at most four words, no punctuation) and the part of speech after the pronunciations and any
// respelling ("Colour \Col"our\, Color \Col"or\, n." gives "n."). Both "" for any other paragraph.
struct GcideHeader {
  std::string word, partOfSpeech;
};
GcideHeader gcideHeader(const std::string& paragraph);

}  // namespace pw::data
