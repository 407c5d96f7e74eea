// Downloading a model (or adapter) repository from the Hugging Face Hub into its standard cache (hub_cache.h),
// with libcurl: the endpoints huggingface_hub uses (`/api/models/REPO/revision/REV` for the commit and file list,
// `/REPO/resolve/COMMIT/FILE` for each file, whose HEAD answer names the blob: X-Linked-Etag / ETag, and its size:
// X-Linked-Size / Content-Length, and may redirect to a CDN). Resumable: an interrupted file stays as
// blobs/<etag>.incomplete and the next attempt asks only for the rest (Range). Every file's size is checked, and
// a large (LFS) file's SHA-256 against its ETag; a file that fails is deleted, never linked into the snapshot.
#pragma once
#include <functional>
#include <string>
#include <vector>

namespace pw::hub {

struct DownloadProgress {
  std::string file;      // the file being fetched now
  int fileIndex = 0;     // 1-based
  int fileCount = 0;
  long long fileDone = 0, fileSize = 0;    // bytes of this file on disk so far / in all
  long long totalDone = 0, totalSize = 0;  // bytes of every selected file
  double bytesPerSecond = 0;               // of this session's transfer
};

struct DownloadOptions {
  std::string revision = "main";  // a branch, tag or commit
  std::string endpoint;           // "": endpoint() ($HF_ENDPOINT or huggingface.co)
  std::string cache;              // "": cacheDir()
  std::string token;              // "": token() ($HF_TOKEN or the saved login)
  int attempts = 3;               // tries per file; each resumes where the last stopped
  // Called often while bytes arrive; return false to stop (the partial file is kept for a resume).
  std::function<bool(const DownloadProgress&)> progress;
};

struct DownloadResult {
  std::string repo, commit, snapshot;   // snapshot: the folder to load
  std::vector<std::string> files;       // fetched or already cached
  std::vector<std::string> skipped;     // in the repository, not needed here (other frameworks' weights, ...)
  long long bytesFetched = 0, bytesReused = 0;
};

// Fetches what the workbench reads from `repoId` (see selectFiles) and returns the snapshot folder. With
// HF_HUB_OFFLINE set it never touches the network: a cached snapshot is returned, else it throws. Throws
// pw::Error with the repository, file, HTTP status and what to do.
DownloadResult downloadRepo(const std::string& repoId, const DownloadOptions& options = {});

// Of a repository's files, those a workbench model or adapter folder uses: config and tokenizer files, the
// model card, and one set of weights (safetensors, else pytorch_model*.bin), top level only. The rest goes to
// `skipped`.
std::vector<std::string> selectFiles(const std::vector<std::string>& repoFiles, std::vector<std::string>* skipped);

// Lower-case hex SHA-256 of a file's bytes (OpenSSL).
std::string sha256OfFile(const std::string& path);

}  // namespace pw::hub
