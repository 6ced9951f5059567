using System;
using System.IO;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cosmos.Kernel.Tests.Infrastructure;

/// <summary>
/// A QMP connection to a running QEMU (its <c>-qmp unix:PATH,server,nowait</c> socket): the greeting and
/// capabilities negotiation, then one command at a time; asynchronous events are skipped. Every read has a
/// timeout, so a QEMU that stops answering fails the test instead of hanging it.
/// </summary>
internal sealed class QmpClient : IDisposable
{
    private readonly Socket _socket;
    private readonly StreamReader _reader;
    private readonly StreamWriter _writer;

    private QmpClient(Socket socket)
    {
        _socket = socket;
        var stream = new NetworkStream(socket, ownsSocket: false) { ReadTimeout = 20_000 };
        _reader = new StreamReader(stream, Encoding.UTF8);
        _writer = new StreamWriter(stream, new UTF8Encoding(false)) { AutoFlush = true, NewLine = "\n" };
    }

    /// <summary>Connects to <paramref name="path"/>, retrying while QEMU creates it, and leaves capabilities negotiation mode.</summary>
    public static QmpClient Connect(string path, TimeSpan timeout)
    {
        DateTime limit = DateTime.UtcNow + timeout;
        while (true)
        {
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                socket.Connect(new UnixDomainSocketEndPoint(path));
                var client = new QmpClient(socket);
                JsonNode greeting = client.ReadMessage();
                if (greeting["QMP"] is null)
                {
                    throw new InvalidOperationException($"QMP greeting expected, got {greeting.ToJsonString()}");
                }

                client.Execute("qmp_capabilities");
                return client;
            }
            catch (SocketException) when (DateTime.UtcNow < limit)
            {
                socket.Dispose();
                System.Threading.Thread.Sleep(100);
            }
        }
    }

    /// <summary>Runs <paramref name="command"/>; returns its "return" value or throws with QEMU's error.</summary>
    public JsonNode? Execute(string command, object? arguments = null)
    {
        var message = new JsonObject { ["execute"] = command };
        if (arguments != null)
        {
            message["arguments"] = JsonSerializer.SerializeToNode(arguments);
        }

        _writer.WriteLine(message.ToJsonString());
        while (true)
        {
            JsonNode reply = ReadMessage();
            if (reply["error"] is JsonNode error)
            {
                throw new InvalidOperationException($"QMP {command} failed: {error.ToJsonString()}");
            }

            if (reply.AsObject().ContainsKey("return"))
            {
                return reply["return"];
            }
        }
    }

    /// <summary>Presses and releases each key in <paramref name="qcodes"/> together (a chord such as shift + a).</summary>
    public void SendKeys(params string[] qcodes)
    {
        var keys = new JsonArray();
        foreach (string qcode in qcodes)
        {
            keys.Add(new JsonObject { ["type"] = "qcode", ["data"] = qcode });
        }

        Execute("send-key", new JsonObject { ["keys"] = keys });
    }

    /// <summary>Types <paramref name="text"/> (lower-case letters, digits, space, '-', '.', and upper-case with shift) then Enter.</summary>
    public void TypeLine(string text)
    {
        foreach (char c in text)
        {
            if (char.IsUpper(c))
            {
                SendKeys("shift", char.ToLowerInvariant(c).ToString());
                continue;
            }

            SendKeys(c switch
            {
                ' ' => "spc",
                '-' => "minus",
                '.' => "dot",
                '/' => "slash",
                _ => c.ToString(),
            });
        }

        SendKeys("ret");
    }

    /// <summary>Sends input events through <c>input-send-event</c> (to the first device that takes them).</summary>
    public void SendEvents(JsonArray events) => Execute("input-send-event", new JsonObject { ["events"] = events });

    public void Dispose()
    {
        _reader.Dispose();
        _writer.Dispose();
        _socket.Dispose();
    }

    private JsonNode ReadMessage()
    {
        string line = _reader.ReadLine() ?? throw new EndOfStreamException("QEMU closed the QMP socket");
        return JsonNode.Parse(line) ?? throw new InvalidDataException("empty QMP message");
    }
}
