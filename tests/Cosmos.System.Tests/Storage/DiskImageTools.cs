using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Text;

namespace Cosmos.System.Tests.Storage
{
    /// <summary>
    /// Makes real disk images with the host's tools (dosfstools, mtools, fdisk's sfdisk, gdisk's sgdisk)
    /// in a temporary directory that is deleted on dispose.
    /// </summary>
    internal sealed class DiskImageTools : IDisposable
    {
        public DiskImageTools()
        {
            Directory = Path.Combine(Path.GetTempPath(), "cosmos-storage-" + Guid.NewGuid().ToString("N"));
            global::System.IO.Directory.CreateDirectory(Directory);
        }

        public string Directory { get; }

        public string PathOf(string name) => Path.Combine(Directory, name);

        /// <summary>mkfs.fat -C: a new image of <paramref name="kilobytes"/> KiB.</summary>
        public string MakeFat(string name, int fatBits, int kilobytes, params string[] extra)
        {
            string image = PathOf(name);
            var args = new List<string> { "-C", "-F", fatBits.ToString(), "-n", "COSMOS" };
            args.AddRange(extra);
            args.Add(image);
            args.Add(kilobytes.ToString());
            Run("mkfs.fat", null, args.ToArray());
            return image;
        }

        /// <summary>Writes a host file with <paramref name="content"/> and returns its path.</summary>
        public string HostFile(string name, byte[] content)
        {
            string path = PathOf("host-" + Guid.NewGuid().ToString("N") + "-" + name);
            File.WriteAllBytes(path, content);
            return path;
        }

        public void Mcopy(string image, string hostFile, string fatPath) => Run("mcopy", null, "-i", image, hostFile, "::" + fatPath);

        public void Mmd(string image, string fatPath) => Run("mmd", null, "-i", image, "::" + fatPath);

        public void Mdel(string image, string fatPath) => Run("mdel", null, "-i", image, "::" + fatPath);

        public string Run(string tool, string? stdin, params string[] args)
        {
            var info = new ProcessStartInfo(tool)
            {
                RedirectStandardInput = stdin != null,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (string arg in args)
            {
                info.ArgumentList.Add(arg);
            }

            // mtools needs a UTF-8 locale for Unicode long names, and no floppy geometry check.
            info.Environment["LC_ALL"] = "C.UTF-8";
            info.Environment["MTOOLS_SKIP_CHECK"] = "1";
            info.Environment["PATH"] = Environment.GetEnvironmentVariable("PATH") + ":/usr/sbin:/sbin";
            Process process;
            try
            {
                process = Process.Start(info)!;
            }
            catch (Exception e)
            {
                throw new InvalidOperationException(
                    $"cannot run '{tool}' ({e.Message}); the storage tests need the Debian packages dosfstools, mtools, fdisk and gdisk", e);
            }

            using (process)
            {
                if (stdin != null)
                {
                    process.StandardInput.Write(stdin);
                    process.StandardInput.Close();
                }

                var stderr = new StringBuilder();
                process.ErrorDataReceived += (_, e) => stderr.AppendLine(e.Data);
                process.BeginErrorReadLine();
                string stdout = process.StandardOutput.ReadToEnd();
                process.WaitForExit();
                if (process.ExitCode != 0)
                {
                    throw new InvalidOperationException($"{tool} {string.Join(' ', args)} exited {process.ExitCode}: {stderr}");
                }

                return stdout;
            }
        }

        public void Dispose()
        {
            try
            {
                global::System.IO.Directory.Delete(Directory, true);
            }
            catch (IOException)
            {
            }
        }
    }
}
