import sys


def main(args):
    n = 1000000
    if len(args) > 0:
        n = int(args[0])
    syll = ["ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "ze", "pu"]
    seed = 12345
    counts = {}
    for i in range(n):
        seed = (seed * 1103515245 + 12345) % 2147483648
        k = (seed // 65536) % 5000
        w = syll[k % 10] + syll[k // 10 % 10]
        if k >= 100:
            w = w + syll[k // 100 % 10]
        if k >= 1000:
            w = w + syll[k // 1000]
        counts[w] = counts.get(w, 0) + 1
    words = list(counts)
    words.sort(key=lambda w: (-counts[w], w))
    print(len(words))
    for w in words[:10]:
        print(w + " " + str(counts[w]))
    total = 0
    for c in counts.values():
        total += c
    print(total)


main(sys.argv[1:])
