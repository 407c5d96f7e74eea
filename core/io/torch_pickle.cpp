// The data-only torch.save reader (see torch_pickle.h): the ZIP container, then a pickle machine limited to
// the opcodes and globals a state dict uses. Everything read from the file is checked before it is used:
// lengths against the bytes left, memo and stack indices, container nesting (acyclic, at most 64 deep), tensor
// views against their storage, and the memory the tensors take against the file's size.
#include "io/torch_pickle.h"

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <vector>

#include "io/zip_archive.h"
#include "util/error.h"

namespace pw::io {
namespace {

struct Value;
using Ref = std::shared_ptr<Value>;

struct Value {
  enum class Kind { None, Bool, Int, Float, String, Bytes, Tuple, List, Dict, Global, Storage, Tensor };
  Kind kind = Kind::None;
  bool sealed = false;     // inside another container: never changed again, so the data stays acyclic
  int depth = 0;           // containers below this one
  bool boolean = false;
  int64_t integer = 0;
  double number = 0;
  std::string text;        // String, Bytes; Global: "module.name"; Storage: its key
  std::vector<Ref> items;  // Tuple, List; Dict: key, value, key, value, ...
  at::ScalarType dtype = at::kFloat;  // Storage
  int64_t numel = 0;                   // Storage
  at::Tensor tensor;
};

const char* kindName(Value::Kind k) {
  switch (k) {
    case Value::Kind::None: return "None";
    case Value::Kind::Bool: return "a bool";
    case Value::Kind::Int: return "an integer";
    case Value::Kind::Float: return "a float";
    case Value::Kind::String: return "a string";
    case Value::Kind::Bytes: return "bytes";
    case Value::Kind::Tuple: return "a tuple";
    case Value::Kind::List: return "a list";
    case Value::Kind::Dict: return "a dict";
    case Value::Kind::Global: return "a class or function";
    case Value::Kind::Storage: return "a storage";
    case Value::Kind::Tensor: return "a tensor";
  }
  return "a value";
}

// The typed storage classes torch.save names in its persistent ids.
const std::map<std::string, at::ScalarType>& storageTypes() {
  static const std::map<std::string, at::ScalarType> m = {
      {"torch.FloatStorage", at::kFloat},   {"torch.HalfStorage", at::kHalf},   {"torch.BFloat16Storage", at::kBFloat16},
      {"torch.DoubleStorage", at::kDouble}, {"torch.LongStorage", at::kLong},   {"torch.IntStorage", at::kInt},
      {"torch.ShortStorage", at::kShort},   {"torch.CharStorage", at::kChar},   {"torch.ByteStorage", at::kByte},
      {"torch.BoolStorage", at::kBool}};
  return m;
}

const char* kOrderedDict = "collections.OrderedDict";
const char* kRebuildTensor = "torch._utils._rebuild_tensor_v2";
const char* kRebuildParameter = "torch._utils._rebuild_parameter";
const char* kRebuildParameterWithState = "torch._utils._rebuild_parameter_with_state";

bool allowedGlobal(const std::string& g) {
  return g == kOrderedDict || g == kRebuildTensor || g == kRebuildParameter || g == kRebuildParameterWithState ||
         storageTypes().count(g) > 0;
}

constexpr int kMaxDepth = 64;
constexpr int kMaxDims = 16;

class Unpickler {
 public:
  Unpickler(std::string_view pkl, const ZipArchive& zip, std::string prefix, const std::string& name,
            uint64_t budget)
      : p_(pkl), zip_(zip), prefix_(std::move(prefix)), name_(name), budget_(budget) {}

  Ref run() {
    while (true) {
      const size_t opAt = pos_;
      const uint8_t op = byte();
      switch (op) {
        case 0x80: {  // PROTO
          const uint8_t v = byte();
          if (v < 2 || v > 5) fail(opAt, "pickle protocol " + std::to_string(v) + " (expected 2 to 5)");
          break;
        }
        case 0x95: take(8); break;  // FRAME: a length hint; the opcodes follow as usual
        case '.': return finish(opAt);
        case '(': marks_.push_back(stack_.size()); break;
        case '0': pop(opAt); break;
        case '1': popMark(opAt); break;
        case '2': push(top(opAt)); break;
        case ')': push(container(Value::Kind::Tuple, {}, opAt)); break;
        case ']': push(make(Value::Kind::List)); break;
        case '}': push(make(Value::Kind::Dict)); break;
        case 't': push(container(Value::Kind::Tuple, popMark(opAt), opAt)); break;
        case 'l': push(container(Value::Kind::List, popMark(opAt), opAt)); break;
        case 'd': {
          std::vector<Ref> items = popMark(opAt);
          if (items.size() % 2) fail(opAt, "DICT with an odd number of items");
          push(container(Value::Kind::Dict, std::move(items), opAt));
          break;
        }
        case 0x85: case 0x86: case 0x87: {  // TUPLE1..3
          std::vector<Ref> items(size_t(op - 0x84));
          for (size_t i = items.size(); i-- > 0;) items[i] = pop(opAt);
          push(container(Value::Kind::Tuple, std::move(items), opAt));
          break;
        }
        case 'a': {
          Ref item = pop(opAt);
          addTo(top(opAt), Value::Kind::List, {item}, opAt);
          break;
        }
        case 'e': {
          std::vector<Ref> items = popMark(opAt);
          addTo(top(opAt), Value::Kind::List, items, opAt);
          break;
        }
        case 's': {
          Ref value = pop(opAt), key = pop(opAt);
          addTo(top(opAt), Value::Kind::Dict, {key, value}, opAt);
          break;
        }
        case 'u': {
          std::vector<Ref> items = popMark(opAt);
          if (items.size() % 2) fail(opAt, "SETITEMS with an odd number of items");
          addTo(top(opAt), Value::Kind::Dict, items, opAt);
          break;
        }
        case 'q': memo(byte(), top(opAt), opAt); break;
        case 'r': memo(le(4), top(opAt), opAt); break;
        case 0x94: memo(memo_.size(), top(opAt), opAt); break;  // MEMOIZE
        case 'h': push(recall(byte(), opAt)); break;
        case 'j': push(recall(le(4), opAt)); break;
        case 'c': {
          const std::string module = line(opAt), name = line(opAt);
          push(global(module + "." + name, opAt));
          break;
        }
        case 0x93: {  // STACK_GLOBAL
          Ref name = pop(opAt), module = pop(opAt);
          if (name->kind != Value::Kind::String || module->kind != Value::Kind::String)
            fail(opAt, "STACK_GLOBAL needs two strings");
          push(global(module->text + "." + name->text, opAt));
          break;
        }
        case 'R': case 0x81: {  // REDUCE, NEWOBJ
          Ref args = pop(opAt), callable = pop(opAt);
          push(call(callable, args, opAt));
          break;
        }
        case 'b': {  // BUILD: the state of an OrderedDict (its _metadata) or of a tensor; kept out of the weights
          pop(opAt);
          const Ref& obj = top(opAt);
          if (obj->kind != Value::Kind::Dict && obj->kind != Value::Kind::Tensor)
            fail(opAt, std::string("BUILD on ") + kindName(obj->kind));
          break;
        }
        case 'Q': push(persistent(pop(opAt), opAt)); break;  // BINPERSID
        case 'J': push(integer(int64_t(int32_t(uint32_t(le(4)))))); break;
        case 'K': push(integer(byte())); break;
        case 'M': push(integer(int64_t(le(2)))); break;
        case 0x8a: {  // LONG1
          const uint8_t n = byte();
          if (n > 8) fail(opAt, "an integer of " + std::to_string(n) + " bytes");
          uint64_t v = n ? le(n) : 0;
          if (n > 0 && n < 8 && (v >> (8 * n - 1)) & 1) v |= ~uint64_t(0) << (8 * n);  // sign-extend
          push(integer(int64_t(v)));
          break;
        }
        case 'G': {  // BINFLOAT: big-endian double
          const std::string_view b = take(8);
          uint64_t bits = 0;
          for (char c : b) bits = (bits << 8) | uint8_t(c);
          double d;
          std::memcpy(&d, &bits, 8);
          Ref v = make(Value::Kind::Float);
          v->number = d;
          push(v);
          break;
        }
        case 'X': push(string(Value::Kind::String, le(4))); break;
        case 0x8c: push(string(Value::Kind::String, byte())); break;
        case 0x8d: push(string(Value::Kind::String, le(8))); break;
        case 'T': {
          const int64_t n = int64_t(int32_t(uint32_t(le(4))));
          if (n < 0) fail(opAt, "a negative string length");
          push(string(Value::Kind::String, uint64_t(n)));
          break;
        }
        case 'U': push(string(Value::Kind::String, byte())); break;
        case 'B': push(string(Value::Kind::Bytes, le(4))); break;
        case 'C': push(string(Value::Kind::Bytes, byte())); break;
        case 0x8e: push(string(Value::Kind::Bytes, le(8))); break;
        case 'N': push(make(Value::Kind::None)); break;
        case 0x88: case 0x89: {
          Ref v = make(Value::Kind::Bool);
          v->boolean = op == 0x88;
          push(v);
          break;
        }
        default: {
          char hex[8];
          std::snprintf(hex, sizeof hex, "0x%02x", op);
          fail(opAt, std::string("pickle opcode ") + hex + ", which a state dict of tensors does not use");
        }
      }
    }
  }

 private:
  [[noreturn]] void fail(size_t at, const std::string& problem) const {
    throw fileError(name_, "data.pkl at byte " + std::to_string(at) + ": " + problem);
  }

  uint8_t byte() {
    if (pos_ >= p_.size()) fail(pos_, "ends without STOP");
    return uint8_t(p_[pos_++]);
  }
  std::string_view take(uint64_t n) {
    if (n > p_.size() - pos_) fail(pos_, "a length of " + std::to_string(n) + " runs past the end");
    const std::string_view s = p_.substr(pos_, size_t(n));
    pos_ += size_t(n);
    return s;
  }
  uint64_t le(int n) {
    const std::string_view b = take(uint64_t(n));
    uint64_t v = 0;
    for (int i = n - 1; i >= 0; --i) v = (v << 8) | uint8_t(b[size_t(i)]);
    return v;
  }
  std::string line(size_t at) {
    const size_t end = p_.find('\n', pos_);
    if (end == std::string_view::npos || end - pos_ > 256) fail(at, "a GLOBAL name without its newline");
    std::string s(p_.substr(pos_, end - pos_));
    pos_ = end + 1;
    return s;
  }

  static Ref make(Value::Kind k) {
    Ref v = std::make_shared<Value>();
    v->kind = k;
    return v;
  }
  static Ref integer(int64_t i) {
    Ref v = make(Value::Kind::Int);
    v->integer = i;
    return v;
  }
  Ref string(Value::Kind k, uint64_t n) {
    Ref v = make(k);
    v->text = std::string(take(n));
    return v;
  }

  size_t floor() const { return marks_.empty() ? 0 : marks_.back(); }
  void push(Ref v) {
    if (stack_.size() >= 10000000) fail(pos_, "the pickle stack grows past 10 million values");
    stack_.push_back(std::move(v));
  }
  Ref pop(size_t at) {
    if (stack_.size() <= floor()) fail(at, "pops from an empty stack");
    Ref v = std::move(stack_.back());
    stack_.pop_back();
    return v;
  }
  const Ref& top(size_t at) const {
    if (stack_.size() <= floor()) fail(at, "reads an empty stack");
    return stack_.back();
  }
  std::vector<Ref> popMark(size_t at) {
    if (marks_.empty()) fail(at, "no MARK to pop to");
    const size_t m = marks_.back();
    marks_.pop_back();
    std::vector<Ref> items(std::make_move_iterator(stack_.begin() + long(m)), std::make_move_iterator(stack_.end()));
    stack_.resize(m);
    return items;
  }

  // Places `items` inside `c`: each item is sealed (never changed again) and the nesting stays shallow.
  void seal(Value& c, const std::vector<Ref>& items, size_t at) {
    for (const Ref& item : items) {
      if (item.get() == &c) fail(at, "a container inside itself");
      item->sealed = true;
      c.depth = std::max(c.depth, item->depth + 1);
    }
    if (c.depth > kMaxDepth) fail(at, "values nested more than " + std::to_string(kMaxDepth) + " deep");
  }
  Ref container(Value::Kind k, std::vector<Ref> items, size_t at) {
    Ref c = make(k);
    seal(*c, items, at);
    c->items = std::move(items);
    return c;
  }
  void addTo(const Ref& c, Value::Kind want, const std::vector<Ref>& items, size_t at) {
    if (c->kind != want)
      fail(at, std::string("adds items to ") + kindName(c->kind) + " (expected " + kindName(want) + ")");
    if (c->sealed) fail(at, "changes a container after placing it inside another (self-referencing data)");
    seal(*c, items, at);
    c->items.insert(c->items.end(), items.begin(), items.end());
  }

  void memo(uint64_t index, const Ref& v, size_t at) {
    if (index > 10000000) fail(at, "memo index " + std::to_string(index));
    memo_[index] = v;
  }
  Ref recall(uint64_t index, size_t at) const {
    const auto it = memo_.find(index);
    if (it == memo_.end()) fail(at, "reads memo entry " + std::to_string(index) + ", never stored");
    return it->second;
  }

  Ref global(const std::string& g, size_t at) const {
    if (!allowedGlobal(g))
      fail(at, "refers to " + g + ", which is not part of a state dict of tensors (only tensors, storages and "
                   "OrderedDict are read; no pickle code is run)");
    Ref v = make(Value::Kind::Global);
    v->text = g;
    return v;
  }

  // ('storage', torch.FloatStorage, key, location, numel): the storage in entry data/<key>.
  Ref persistent(const Ref& pid, size_t at) {
    const auto& it = pid->items;
    if (pid->kind != Value::Kind::Tuple || it.size() != 5 || it[0]->kind != Value::Kind::String ||
        it[0]->text != "storage" || it[1]->kind != Value::Kind::Global || it[2]->kind != Value::Kind::String ||
        it[4]->kind != Value::Kind::Int)
      fail(at, "a persistent id that is not ('storage', type, key, location, size)");
    const auto type = storageTypes().find(it[1]->text);
    if (type == storageTypes().end()) fail(at, it[1]->text + " is not a storage type");
    if (it[4]->integer < 0) fail(at, "a storage of negative size");
    Ref s = make(Value::Kind::Storage);
    s->dtype = type->second;
    s->text = it[2]->text;
    s->numel = it[4]->integer;
    return s;
  }

  at::Tensor storage(const Value& s, size_t at) {
    const std::string entry = prefix_ + "data/" + s.text;
    const auto known = storages_.find(entry);
    if (known != storages_.end()) {
      if (known->second.scalar_type() != s.dtype || known->second.numel() != s.numel)
        fail(at, "storage " + s.text + " is named with two types or sizes");
      return known->second;
    }
    if (!zip_.has(entry)) fail(at, "storage " + s.text + " is missing from the archive (" + entry + ")");
    const std::string_view bytes = zip_.entry(entry);
    const uint64_t elem = uint64_t(c10::elementSize(s.dtype));
    if (uint64_t(s.numel) > bytes.size() / elem || uint64_t(s.numel) * elem != bytes.size())
      fail(at, "storage " + s.text + " holds " + std::to_string(bytes.size()) + " bytes, not " +
                   std::to_string(s.numel) + " x " + std::to_string(elem));
    at::Tensor t = at::empty({s.numel}, at::TensorOptions().dtype(s.dtype));
    if (!bytes.empty()) std::memcpy(t.data_ptr(), bytes.data(), bytes.size());
    storages_[entry] = t;
    return t;
  }

  std::vector<int64_t> ints(const Ref& v, const char* what, size_t at) const {
    if (v->kind != Value::Kind::Tuple && v->kind != Value::Kind::List) fail(at, std::string(what) + " is not a tuple");
    if (v->items.size() > size_t(kMaxDims)) fail(at, std::string(what) + " has more than 16 dimensions");
    std::vector<int64_t> out;
    for (const Ref& i : v->items) {
      if (i->kind != Value::Kind::Int || i->integer < 0) fail(at, std::string(what) + " holds a non-count");
      out.push_back(i->integer);
    }
    return out;
  }

  // _rebuild_tensor_v2(storage, offset, size, stride, requires_grad, hooks[, metadata]).
  Ref rebuildTensor(const std::vector<Ref>& a, size_t at) {
    if (a.size() < 4 || a[0]->kind != Value::Kind::Storage || a[1]->kind != Value::Kind::Int)
      fail(at, "_rebuild_tensor_v2 without (storage, offset, size, stride, ...)");
    const at::Tensor st = storage(*a[0], at);
    const int64_t offset = a[1]->integer;
    const std::vector<int64_t> size = ints(a[2], "a tensor's size", at), stride = ints(a[3], "a tensor's stride", at);
    if (size.size() != stride.size()) fail(at, "a tensor's size and stride differ in length");
    if (offset < 0) fail(at, "a negative storage offset");
    // The view must lie inside its storage and be no larger than it (no zero-stride broadcasts).
    const uint64_t n = uint64_t(st.numel());
    uint64_t numel = 1;
    for (int64_t d : size)
      if (d == 0) numel = 0;
    if (numel > 0)
      for (int64_t d : size) {
        if (uint64_t(d) > n / numel) fail(at, "a tensor larger than its storage");
        numel *= uint64_t(d);
      }
    for (int64_t d : size)
      if (d > (int64_t(1) << 40)) fail(at, "a tensor dimension of " + std::to_string(d));
    if (numel > 0) {
      if (uint64_t(offset) >= n) fail(at, "a tensor view outside its storage");
      uint64_t last = uint64_t(offset);
      for (size_t d = 0; d < size.size(); ++d) {
        const uint64_t reach = uint64_t(size[d] - 1);
        if (reach && uint64_t(stride[d]) > (n - 1 - last) / reach) fail(at, "a tensor view outside its storage");
        last += reach * uint64_t(stride[d]);
      }
    }
    const uint64_t bytes = numel * uint64_t(st.element_size());
    if (bytes > budget_ - std::min(budget_, used_)) fail(at, "its tensors would take more memory than its storages allow");
    used_ += bytes;
    Ref t = make(Value::Kind::Tensor);
    t->tensor = numel == 0 ? at::empty(size, st.options()) : st.as_strided(size, stride, offset).clone(at::MemoryFormat::Contiguous);
    return t;
  }

  Ref call(const Ref& callable, const Ref& args, size_t at) {
    if (callable->kind != Value::Kind::Global) fail(at, std::string("calls ") + kindName(callable->kind));
    if (args->kind != Value::Kind::Tuple) fail(at, "calls " + callable->text + " without an argument tuple");
    const std::string& f = callable->text;
    const auto& a = args->items;
    if (f == kOrderedDict) {
      if (!a.empty()) fail(at, "OrderedDict with arguments");
      return make(Value::Kind::Dict);
    }
    if (f == kRebuildTensor) return rebuildTensor(a, at);
    if (f == kRebuildParameter || f == kRebuildParameterWithState) {
      if (a.empty() || a[0]->kind != Value::Kind::Tensor) fail(at, f + " without a tensor");
      return a[0];
    }
    fail(at, "calls " + f + ", which is not a function of a state dict");
  }

  Ref finish(size_t at) {
    Ref result = pop(at);
    if (!marks_.empty()) fail(at, "ends inside a MARK");
    return result;
  }

  std::string_view p_;
  size_t pos_ = 0;
  const ZipArchive& zip_;
  std::string prefix_;
  const std::string& name_;
  uint64_t budget_ = 0, used_ = 0;
  std::vector<Ref> stack_;
  std::vector<size_t> marks_;
  std::map<uint64_t, Ref> memo_;
  std::map<std::string, at::Tensor> storages_;
};

}  // namespace

TensorMap decodeTorchPickle(const std::string& bytes, const std::string& name) {
  if (!bytes.empty() && uint8_t(bytes[0]) == 0x80)
    throw fileError(name, "saved in PyTorch's legacy format (before 1.6, not a ZIP archive), which is not read; "
                          "save it again with a current torch.save, or as safetensors");
  if (!looksLikeZip(bytes))
    throw fileError(name, "not a torch.save file (a ZIP archive holding data.pkl) nor safetensors");
  const ZipArchive zip(bytes, name);
  std::string prefix;
  int pickles = 0;
  for (const auto& [entry, data] : zip.entries()) {
    const size_t slash = entry.find('/');
    if (slash != std::string::npos && entry.substr(slash + 1) == "data.pkl") prefix = entry.substr(0, slash + 1), ++pickles;
  }
  if (pickles != 1)
    throw fileError(name, pickles ? "the archive holds more than one data.pkl" : "the archive holds no data.pkl");
  if (zip.has(prefix + "byteorder") && zip.entry(prefix + "byteorder") != "little")
    throw fileError(name, "saved on a big-endian machine; only little-endian files are read");
  Unpickler u(zip.entry(prefix + "data.pkl"), zip, prefix, name, 4 * uint64_t(bytes.size()) + (1u << 20));
  const Ref top = u.run();
  if (top->kind != Value::Kind::Dict)
    throw fileError(name, std::string("holds ") + kindName(top->kind) + ", not a state dict (a dict of tensors)");
  TensorMap out;
  for (size_t i = 0; i + 1 < top->items.size(); i += 2) {
    const Value& key = *top->items[i];
    const Value& value = *top->items[i + 1];
    if (key.kind != Value::Kind::String) throw fileError(name, std::string("a state dict key is ") + kindName(key.kind));
    if (value.kind != Value::Kind::Tensor)
      throw fileError(name, "\"" + key.text + "\" holds " + kindName(value.kind) +
                                ", not a tensor (a training checkpoint? save model.state_dict() itself)");
    at::Tensor t = value.tensor;
    if (t.scalar_type() == at::kHalf || t.scalar_type() == at::kBFloat16 || t.scalar_type() == at::kDouble)
      t = t.to(at::kFloat);
    if (!out.emplace(key.text, t).second) throw fileError(name, "\"" + key.text + "\" appears twice");
  }
  return out;
}

TensorMap readTorchPickle(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) throw fileError(path, "file does not exist");
  if (!std::filesystem::is_regular_file(path, ec)) throw fileError(path, "not a regular file (a folder, FIFO or device?)");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw fileError(path, "cannot open file for reading");
  std::ostringstream ss;
  ss << in.rdbuf();
  return decodeTorchPickle(ss.str(), path);
}

}  // namespace pw::io
