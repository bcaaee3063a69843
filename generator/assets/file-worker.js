/* Search for a site opened straight from the disk (file://). Browsers refuse
   to start a Web Worker from a file, and mkdocs-material runs its search in
   one; here the same worker script runs in a hidden frame of this page
   instead, with messages passed across. Loaded before the theme's scripts;
   does nothing when the site is served over http(s). */
(function () {
  "use strict";
  if (window.location.protocol !== "file:" || typeof EventTarget === "undefined") return;

  var frames = [];
  window.__eaFrameWorkers = frames;

  function attr(text) {
    return String(text).replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
  }

  class FrameWorker extends EventTarget {
    constructor(url) {
      super();
      this.onmessage = null;
      this.onerror = null;
      this._queue = [];
      this._ready = false;
      var id = frames.push(this) - 1;
      var frame = document.createElement("iframe");
      frame.hidden = true;
      frame.tabIndex = -1;
      frame.setAttribute("aria-hidden", "true");
      frame.title = "search";
      document.body.appendChild(frame);
      this._frame = frame;
      var doc = frame.contentWindow.document;
      doc.open();
      doc.write(
        "<!doctype html><title>search</title><script>" +
        "var w = parent.__eaFrameWorkers[" + id + "];" +
        "self.postMessage = function (data) { w._emit(data); };" +
        "self.importScripts = function () { throw new Error('importScripts is not available from a file'); };" +
        "<\/script><script src=\"" + attr(new URL(url, document.baseURI).href) + "\"><\/script>" +
        "<script>w._start();<\/script>"
      );
      doc.close();
    }

    postMessage(data) {
      if (!this._ready) {
        this._queue.push(data);
        return;
      }
      var win = this._frame.contentWindow;
      win.dispatchEvent(new win.MessageEvent("message", { data: data }));
    }

    terminate() {
      this._frame.remove();
    }

    _start() {
      this._ready = true;
      var queued = this._queue;
      this._queue = [];
      queued.forEach(this.postMessage, this);
    }

    _emit(data) {
      var self = this;
      window.setTimeout(function () {  /* asynchronous, as a worker's messages are */
        var event = new MessageEvent("message", { data: data });
        if (typeof self.onmessage === "function") self.onmessage(event);
        self.dispatchEvent(event);
      }, 0);
    }
  }

  window.Worker = FrameWorker;
})();
