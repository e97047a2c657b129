// Compiled twice, like InterpWorkloads.cs: into NfDtls.Bench (desktop JIT) and into the Mono interpreter bench.
#nullable disable
using System;
using System.Collections;

namespace NfDtls.Bench.Interp
{
    /// <summary>
    /// Times the workloads in batches on <see cref="InterpClock"/>: each batch runs an operation enough times to last
    /// about <see cref="BatchMilliseconds"/>, and its mean per operation is one sample. A handshake's batches also give the
    /// client's and the server's share. Samples are printed one row per line, "row KEY ms ms ms ...", so the driver
    /// can take medians over several processes run in turn (and over A/B builds interleaved).
    /// </summary>
    internal sealed class InterpHarness
    {
        public double BatchMilliseconds = 50;
        public double SecondsPerWorkload = 0.5;
        public double WarmupSeconds;  // the JIT tiers up after ~30 calls and a background recompile; an interpreter does not
        private readonly Hashtable _actions = new Hashtable();
        private readonly Hashtable _pairs = new Hashtable();
        private readonly Hashtable _samples = new Hashtable(); // row key -> ArrayList of double (ms per operation)

        public void Measure(string workload)
        {
            Action op = (Action)_actions[workload];
            InterpHandshake pair = (InterpHandshake)_pairs[workload];
            if (op == null)
            {
                op = InterpWorkloads.Create(workload, out pair);
                _actions[workload] = op;
                _pairs[workload] = pair;
            }
            long start = InterpClock.Now();
            op(); // type initialisers, first-call costs
            while (InterpClock.Now() - start < WarmupSeconds * 1e9)
            {
                op();
            }
            start = InterpClock.Now();
            op();
            double first = Milliseconds(InterpClock.Now() - start);
            int batch = first >= BatchMilliseconds ? 1 : (int)(BatchMilliseconds / (first > 0.0001 ? first : 0.0001)) + 1;
            long begin = InterpClock.Now();
            int batches = 0;
            while (batches < 2 || InterpClock.Now() - begin < SecondsPerWorkload * 1e9)
            {
                long client = pair != null ? pair.ClientTicks : 0;
                long server = pair != null ? pair.ServerTicks : 0;
                start = InterpClock.Now();
                for (int i = 0; i < batch; i++)
                {
                    op();
                }
                long elapsed = InterpClock.Now() - start;
                Add(workload, Milliseconds(elapsed) / batch);
                if (pair != null && workload != "coap")
                {
                    Add(workload + "-client", Milliseconds(pair.ClientTicks - client) / batch);
                    Add(workload + "-server", Milliseconds(pair.ServerTicks - server) / batch);
                }
                batches++;
            }
        }

        /// <summary>The samples of a row, or null when it was not measured.</summary>
        public double[] Samples(string key)
        {
            ArrayList list = (ArrayList)_samples[key];
            if (list == null)
            {
                return null;
            }
            double[] r = new double[list.Count];
            for (int i = 0; i < r.Length; i++)
            {
                r[i] = (double)list[i];
            }
            return r;
        }

        public void Print(string key)
        {
            double[] s = Samples(key);
            if (s == null)
            {
                return;
            }
            string line = "row " + key;
            for (int i = 0; i < s.Length; i++)
            {
                line += " " + s[i].ToString("R", System.Globalization.CultureInfo.InvariantCulture);
            }
            Console.WriteLine(line);
        }

        private void Add(string key, double ms)
        {
            ArrayList list = (ArrayList)_samples[key];
            if (list == null)
            {
                list = new ArrayList();
                _samples[key] = list;
            }
            list.Add(ms);
        }

        private static double Milliseconds(long nanoseconds)
        {
            return nanoseconds / 1e6;
        }

        /// <summary>Entry of the interpreter bench: "WORKLOAD[,WORKLOAD...] [seconds]"; prints the rows it measured.</summary>
        public static int MonoMain(string[] args)
        {
            if (args.Length < 1)
            {
                Console.Error.WriteLine("usage: interp-bench.exe WORKLOAD[,WORKLOAD...] [seconds-per-workload]");
                return 2;
            }
            var h = new InterpHarness();
            if (args.Length > 1)
            {
                h.SecondsPerWorkload = double.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture);
            }
            string[] workloads = args[0].Split(',');
            for (int i = 0; i < workloads.Length; i++)
            {
                h.Measure(workloads[i]);
            }
            for (int i = 0; i < InterpWorkloads.Rows.Length; i++)
            {
                h.Print(InterpWorkloads.Rows[i].Key);
            }
            return 0;
        }
    }
}
