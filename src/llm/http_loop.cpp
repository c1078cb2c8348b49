#include "kerec/llm/http_loop.h"

#include <curl/curl.h>
#include <pthread.h>
#include <time.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include "kerec/util/error.h"

namespace kerec::llm {

namespace {

// One request in flight: the easy handle's buffers live here.
struct Transfer {
  HttpResponse response;
  std::string body;
  curl_slist* headers = nullptr;
  std::chrono::steady_clock::time_point sent;
  ~Transfer() { curl_slist_free_all(headers); }
};

size_t on_body(char* data, size_t size, size_t n, void* user) {
  static_cast<Transfer*>(user)->response.body.append(data, size * n);
  return size * n;
}

size_t on_header(char* data, size_t size, size_t n, void* user) {
  std::string line(data, size * n);
  const size_t colon = line.find(':');
  if (colon != std::string::npos) {
    std::string name = line.substr(0, colon);
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    size_t b = colon + 1, e = line.size();
    while (b < e && std::isspace(static_cast<unsigned char>(line[b]))) ++b;
    while (e > b && std::isspace(static_cast<unsigned char>(line[e - 1]))) --e;
    static_cast<Transfer*>(user)->response.headers[name] = line.substr(b, e - b);
  }
  return size * n;
}

struct CurlGlobal {
  CurlGlobal() { curl_global_init(CURL_GLOBAL_DEFAULT); }
};

}  // namespace

struct HttpLoop::State {
  CURLM* multi = nullptr;
  std::thread thread;
  pthread_t native{};
  std::atomic<bool> stop{false};
  std::mutex mutex;
  std::condition_variable done_cv;
  std::deque<HttpRequest> submitted;                  // guarded by mutex
  std::vector<HttpResponse> completed;                // guarded by mutex
  std::map<CURL*, std::unique_ptr<Transfer>> active;  // loop thread only

  void start(HttpRequest& r);
  void finish(CURLMsg* msg);
  void run();
};

void HttpLoop::State::start(HttpRequest& r) {
  auto t = std::make_unique<Transfer>();
  t->response.id = r.id;
  t->body = std::move(r.body);
  for (const auto& h : r.headers) t->headers = curl_slist_append(t->headers, h.c_str());
  t->headers = curl_slist_append(t->headers, "Content-Type: application/json");
  t->headers = curl_slist_append(t->headers, "Expect:");
  CURL* easy = curl_easy_init();
  curl_easy_setopt(easy, CURLOPT_URL, r.url.c_str());
  curl_easy_setopt(easy, CURLOPT_POST, 1L);
  curl_easy_setopt(easy, CURLOPT_POSTFIELDS, t->body.data());
  curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(t->body.size()));
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER, t->headers);
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, t.get());
  curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(easy, CURLOPT_HEADERDATA, t.get());
  curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(r.connect_timeout_ms));
  curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(r.timeout_ms));
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy, CURLOPT_TCP_KEEPALIVE, 1L);
  // No Accept-Encoding: answers are small, and a server compressing each one (brotli) costs more
  // CPU than the bytes saved (measured: 83% of the simulator's CPU).
  t->sent = std::chrono::steady_clock::now();
  curl_multi_add_handle(multi, easy);
  active.emplace(easy, std::move(t));
}

void HttpLoop::State::finish(CURLMsg* msg) {
  CURL* easy = msg->easy_handle;
  auto node = active.extract(easy);
  Transfer& t = *node.mapped();
  t.response.curl_code = msg->data.result;
  if (msg->data.result != CURLE_OK) {
    t.response.curl_error = curl_easy_strerror(msg->data.result);
    t.response.timed_out = msg->data.result == CURLE_OPERATION_TIMEDOUT;
  }
  curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &t.response.status);
  t.response.elapsed_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t.sent).count();
  curl_multi_remove_handle(multi, easy);
  curl_easy_cleanup(easy);
  {
    std::lock_guard lock(mutex);
    completed.push_back(std::move(t.response));
  }
  done_cv.notify_one();
}

void HttpLoop::State::run() {
  while (!stop.load()) {
    std::deque<HttpRequest> batch;
    {
      std::lock_guard lock(mutex);
      batch.swap(submitted);
    }
    for (auto& r : batch) start(r);
    int running = 0;
    curl_multi_perform(multi, &running);
    int left = 0;
    while (CURLMsg* msg = curl_multi_info_read(multi, &left))
      if (msg->msg == CURLMSG_DONE) finish(msg);
    curl_multi_poll(multi, nullptr, 0, 1000, nullptr);  // woken by curl_multi_wakeup on submit
  }
}

HttpLoop::HttpLoop() : state_(std::make_unique<State>()) {
  static CurlGlobal global;
  state_->multi = curl_multi_init();
  if (!state_->multi) throw Error("curl_multi_init failed");
  curl_multi_setopt(state_->multi, CURLMOPT_MAXCONNECTS, 256L);
  state_->thread = std::thread([s = state_.get()] { s->run(); });
  state_->native = state_->thread.native_handle();
}

HttpLoop::~HttpLoop() {
  state_->stop = true;
  curl_multi_wakeup(state_->multi);
  state_->thread.join();
  for (auto& [easy, t] : state_->active) {
    curl_multi_remove_handle(state_->multi, easy);
    curl_easy_cleanup(easy);
  }
  curl_multi_cleanup(state_->multi);
}

void HttpLoop::submit(HttpRequest request) {
  {
    std::lock_guard lock(state_->mutex);
    state_->submitted.push_back(std::move(request));
  }
  curl_multi_wakeup(state_->multi);
}

size_t HttpLoop::take(std::vector<HttpResponse>& out, std::chrono::milliseconds wait) {
  std::unique_lock lock(state_->mutex);
  if (state_->completed.empty() && wait.count() > 0)
    state_->done_cv.wait_for(lock, wait, [&] { return !state_->completed.empty(); });
  const size_t n = state_->completed.size();
  for (auto& r : state_->completed) out.push_back(std::move(r));
  state_->completed.clear();
  return n;
}

double HttpLoop::thread_cpu_seconds() const {
  clockid_t clock;
  timespec ts{};
  if (pthread_getcpuclockid(state_->native, &clock) != 0 || clock_gettime(clock, &ts) != 0)
    return 0.0;
  return static_cast<double>(ts.tv_sec) + ts.tv_nsec * 1e-9;
}

}  // namespace kerec::llm
