import java.util.*;
// wordfreq: bench/programs/wordfreq.hl with java.util's HashMap<String, Integer>
// (getOrDefault, then put, as the HL program does) and List.sort.
public class wordfreq {
    public static void main(String[] args) {
        int n = 1000000;
        if (args.length > 0) n = Integer.parseInt(args[0]);
        String[] syll = {"ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "ze", "pu"};
        long seed = 12345;
        HashMap<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < n; i++) {
            seed = (seed * 1103515245L + 12345) % 2147483648L;
            int k = (int) ((seed / 65536) % 5000);
            String w = syll[k % 10] + syll[k / 10 % 10];
            if (k >= 100) w = w + syll[k / 100 % 10];
            if (k >= 1000) w = w + syll[k / 1000];
            counts.put(w, counts.getOrDefault(w, 0) + 1);
        }
        List<String> words = new ArrayList<>(counts.keySet());
        words.sort((a, b) -> {
            int d = counts.get(b) - counts.get(a);
            if (d != 0) return d;
            return a.compareTo(b);
        });
        System.out.println(words.size());
        for (int i = 0; i < Math.min(10, words.size()); i++) {
            String w = words.get(i);
            System.out.println(w + " " + counts.get(w));
        }
        long total = 0;
        for (int c : counts.values()) total += c;
        System.out.println(total);
    }
}
