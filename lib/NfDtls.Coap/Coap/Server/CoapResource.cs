using NfDtls.Coap.Message;

namespace NfDtls.Coap.Server
{
    /// <summary>
    /// A resource of the server's tree: its path, the RFC 6690 link attributes /.well-known/core lists, and one
    /// handler per method (RFC 7252 §5.8). Unimplemented methods answer 4.05. Subclass and override.
    /// </summary>
    public class CoapResource
    {
        private readonly string[] _segments;

        /// <param name="path">"sensors/temp" (no leading slash needed; "" is the root).</param>
        public CoapResource(string path)
        {
            int count = 0;
            int start = 0;
            string p = path == null ? "" : path;
            for (int i = 0; i <= p.Length; i++)
            {
                if (i == p.Length || p[i] == '/')
                {
                    if (i > start)
                    {
                        count++;
                    }
                    start = i + 1;
                }
            }
            _segments = new string[count];
            count = 0;
            start = 0;
            for (int i = 0; i <= p.Length; i++)
            {
                if (i == p.Length || p[i] == '/')
                {
                    if (i > start)
                    {
                        _segments[count++] = p.Substring(start, i - start);
                    }
                    start = i + 1;
                }
            }
            string full = "";
            for (int i = 0; i < _segments.Length; i++)
            {
                full = string.Concat(full, "/", _segments[i]);
            }
            Path = full.Length == 0 ? "/" : full;
        }

        /// <summary>"/sensors/temp".</summary>
        public string Path;
        /// <summary>rt= (RFC 6690 §3.1), null for none.</summary>
        public string ResourceType;
        /// <summary>if= (RFC 6690 §3.2).</summary>
        public string InterfaceDescription;
        /// <summary>title=.</summary>
        public string Title;
        /// <summary>ct=, -1 for none.</summary>
        public int ContentFormat = -1;
        /// <summary>sz= (RFC 6690 §3.3), -1 for none.</summary>
        public int MaximumSizeEstimate = -1;
        /// <summary>Accepts Observe registrations (RFC 7641); listed with "obs".</summary>
        public bool Observable;
        /// <summary>Left out of /.well-known/core.</summary>
        public bool Hidden;
        /// <summary>Also answers paths below its own (e.g. a directory of files); exact matches of other resources win.</summary>
        public bool MatchesSubpaths;

        internal int SegmentCount { get { return _segments.Length; } }
        internal string Segment(int i) { return _segments[i]; }

        public virtual void Handle(CoapRequest request, CoapResponse response)
        {
            switch (request.Method)
            {
                case CoapCode.Get: OnGet(request, response); break;
                case CoapCode.Post: OnPost(request, response); break;
                case CoapCode.Put: OnPut(request, response); break;
                case CoapCode.Delete: OnDelete(request, response); break;
                default: response.Code = CoapCode.MethodNotAllowed; break;
            }
        }

        protected virtual void OnGet(CoapRequest request, CoapResponse response)
        {
            response.Code = CoapCode.MethodNotAllowed;
        }

        protected virtual void OnPost(CoapRequest request, CoapResponse response)
        {
            response.Code = CoapCode.MethodNotAllowed;
        }

        protected virtual void OnPut(CoapRequest request, CoapResponse response)
        {
            response.Code = CoapCode.MethodNotAllowed;
        }

        protected virtual void OnDelete(CoapRequest request, CoapResponse response)
        {
            response.Code = CoapCode.MethodNotAllowed;
        }
    }
}
