/*
 * The token filters of Elasticsearch's analysis-common module that Concertation's
 * archive index uses, for the integration-test distribution, which ships without that
 * module. Same names, same settings, same Lucene classes (the distribution's own
 * lucene-analysis-common jar), so the test node analyses text exactly as a production
 * cluster does. Installed only into the throwaway test node by scripts/elasticsearch;
 * never into a real cluster, which has the real module. See
 * docs/decisions/003-elasticsearch-for-tests.md.
 */
package org.concertation.testanalysis;

import java.util.Map;
import java.util.Set;

import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishMinimalStemFilter;
import org.apache.lucene.analysis.en.EnglishPossessiveFilter;
import org.apache.lucene.analysis.en.KStemFilter;
import org.apache.lucene.analysis.en.PorterStemFilter;
import org.apache.lucene.analysis.fr.FrenchLightStemFilter;
import org.apache.lucene.analysis.fr.FrenchMinimalStemFilter;
import org.apache.lucene.analysis.miscellaneous.ASCIIFoldingFilter;
import org.apache.lucene.analysis.snowball.SnowballFilter;
import org.apache.lucene.analysis.util.ElisionFilter;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.index.IndexSettings;
import org.elasticsearch.index.analysis.AbstractTokenFilterFactory;
import org.elasticsearch.index.analysis.Analysis;
import org.elasticsearch.index.analysis.TokenFilterFactory;
import org.elasticsearch.indices.analysis.AnalysisModule.AnalysisProvider;
import org.elasticsearch.plugins.AnalysisPlugin;
import org.elasticsearch.plugins.Plugin;
import org.tartarus.snowball.ext.FrenchStemmer;

public class TestAnalysisPlugin extends Plugin implements AnalysisPlugin {

    @Override
    public Map<String, AnalysisProvider<TokenFilterFactory>> getTokenFilters() {
        return Map.of(
            "asciifolding", AsciiFoldingFilterFactory::new,
            "elision", AnalysisPlugin.requiresAnalysisSettings(ElisionFilterFactory::new),
            "stemmer", StemmerFilterFactory::new
        );
    }

    /** Folds accented letters to ASCII: "économie" becomes "economie". */
    static final class AsciiFoldingFilterFactory extends AbstractTokenFilterFactory {
        private final boolean preserveOriginal;

        AsciiFoldingFilterFactory(IndexSettings index, Environment env, String name, Settings settings) {
            super(name, settings);
            this.preserveOriginal = settings.getAsBoolean("preserve_original", false);
        }

        @Override
        public TokenStream create(TokenStream stream) {
            return new ASCIIFoldingFilter(stream, preserveOriginal);
        }

        @Override
        public TokenStream normalize(TokenStream stream) {
            return new ASCIIFoldingFilter(stream, false);
        }
    }

    /** Removes elided articles: "l'économie" becomes "économie". */
    static final class ElisionFilterFactory extends AbstractTokenFilterFactory {
        private final CharArraySet articles;

        ElisionFilterFactory(IndexSettings index, Environment env, String name, Settings settings) {
            super(name, settings);
            this.articles = Analysis.parseArticles(env, settings);
            if (this.articles == null) {
                throw new IllegalArgumentException("elision filter requires [articles] or [articles_path] setting");
            }
        }

        @Override
        public TokenStream create(TokenStream stream) {
            return new ElisionFilter(stream, articles);
        }

        @Override
        public TokenStream normalize(TokenStream stream) {
            return create(stream);
        }
    }

    /** The stemmer filter, for the English and French languages the archive uses. */
    static final class StemmerFilterFactory extends AbstractTokenFilterFactory {
        private final String language;

        StemmerFilterFactory(IndexSettings index, Environment env, String name, Settings settings) {
            super(name, settings);
            this.language = settings.get("language", settings.get("name", "porter"));
            if (!LANGUAGES.contains(language)) {
                throw new IllegalArgumentException(
                    "stemmer language [" + language + "] is not provided by the test analysis plugin"
                );
            }
        }

        private static final Set<String> LANGUAGES = Set.of(
            "english", "porter", "light_english", "kstem", "minimal_english", "possessive_english",
            "french", "light_french", "minimal_french"
        );

        @Override
        public TokenStream create(TokenStream stream) {
            return switch (language) {
                case "english", "porter" -> new PorterStemFilter(stream);
                case "light_english", "kstem" -> new KStemFilter(stream);
                case "minimal_english" -> new EnglishMinimalStemFilter(stream);
                case "possessive_english" -> new EnglishPossessiveFilter(stream);
                case "french" -> new SnowballFilter(stream, new FrenchStemmer());
                case "light_french" -> new FrenchLightStemFilter(stream);
                case "minimal_french" -> new FrenchMinimalStemFilter(stream);
                default -> throw new IllegalStateException("unchecked stemmer language " + language);
            };
        }
    }
}
